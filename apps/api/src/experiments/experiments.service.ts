import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ExperimentStore, TrainingJob } from '@trainyard/db';
import { notFound } from '../common/api-error';
import { pageWindow, type Page, type PageQuery } from '../common/schemas';
import type { JobComparison } from '../jobs/training-job.dto';
import type { ExperimentDto } from './experiments.dto';

type Scalars = Record<string, number | null>;

@Injectable()
export class ExperimentsService {
  constructor(private readonly em: EntityManager) {}

  async list(query: PageQuery): Promise<Page<ExperimentDto>> {
    const page = pageWindow(query);
    const store = new ExperimentStore(this.em);
    const { rows, total } = await store.page(page.pageSize, page.offset);
    const best = await store.bestJobs(rows.map((r) => r.experiment));
    const items = rows.map((r) => ({
      name: r.experiment,
      jobCounts: { queued: r.queued, running: r.running, completed: r.completed, failed: r.failed, cancelled: r.cancelled },
      totalJobs: r.total,
      lastJobAt: r.lastJobAt.toISOString(),
      best: best.get(r.experiment) ?? {},
    }));
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  /** Params and metrics of several jobs side by side, keyed by job id, with the union of their keys. */
  async compare(ids: string[]): Promise<JobComparison> {
    const jobs = await this.em.find(TrainingJob, { id: { $in: ids } });
    const missing = ids.filter((id) => !jobs.some((j) => j.id === id));
    if (missing.length) throw notFound('JOB', missing.join(', '));
    const ordered = ids.map((id) => jobs.find((j) => j.id === id)!);
    const scalarMetrics = (m: Record<string, unknown> | null): Scalars => Object.fromEntries(Object.entries(m ?? {}).filter(([, v]) => typeof v === 'number' || v === null)) as Scalars;
    const paramNames = [...new Set(ordered.flatMap((j) => Object.keys(j.spec.model.params)))].sort();
    const metricNames = [...new Set(ordered.flatMap((j) => Object.keys(scalarMetrics(j.metrics))))].sort();
    return {
      jobs: ordered.map((j) => ({
        id: j.id,
        name: j.name,
        experiment: j.experiment,
        status: j.status,
        modelType: j.modelType,
        datasetId: j.datasetId,
        params: j.spec.model.params,
        metrics: scalarMetrics(j.metrics),
        validationMetrics: scalarMetrics(j.validationMetrics),
        durationSeconds: j.startedAt && j.completedAt ? (j.completedAt.getTime() - j.startedAt.getTime()) / 1000 : null,
        modelVersion: j.modelVersion,
      })),
      params: Object.fromEntries(paramNames.map((p) => [p, Object.fromEntries(ordered.map((j) => [j.id, j.spec.model.params[p] ?? null]))])),
      metrics: Object.fromEntries(metricNames.map((m) => [m, Object.fromEntries(ordered.map((j) => [j.id, scalarMetrics(j.metrics)[m] ?? null]))])),
    };
  }
}
