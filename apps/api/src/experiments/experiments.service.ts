import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { METRIC_DIRECTIONS } from '@trainyard/contracts';
import { TrainingJob } from '@trainyard/db';
import type { Principal } from '../auth/principal';
import { notFound } from '../common/api-error';
import type { Page, PageQuery } from '../common/pagination';

interface ExperimentRow {
  experiment: string;
  total: number;
  queued: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  last_job_at: Date;
}

@Injectable()
export class ExperimentsService {
  constructor(private readonly em: EntityManager) {}

  async list(principal: Principal, page: PageQuery): Promise<Page<unknown>> {
    const db = this.em.getConnection();
    // One pass over the tenant's (experiment, status, created_at) index: counts per experiment, and the number of
    // experiments as a window over the groups before the page is cut.
    const rows = await db.execute<(ExperimentRow & { experiments: number })[]>(
      `select experiment, count(*)::int as total,
              count(*) filter (where status = 'queued')::int as queued,
              count(*) filter (where status = 'running')::int as running,
              count(*) filter (where status = 'completed')::int as completed,
              count(*) filter (where status = 'failed')::int as failed,
              count(*) filter (where status = 'cancelled')::int as cancelled,
              max(created_at) as last_job_at,
              (count(*) over ())::int as experiments
         from training_jobs where tenant_id = ?
        group by experiment order by max(created_at) desc, experiment limit ? offset ?`,
      [principal.tenantId, page.pageSize, page.offset],
    );
    const total = rows[0]?.experiments ?? (page.offset > 0 ? await this.countExperiments(principal.tenantId) : 0);
    const best = await this.bestJobs(principal.tenantId, rows.map((r) => r.experiment));
    const items = rows.map((r) => ({
      name: r.experiment,
      jobCounts: { queued: r.queued, running: r.running, completed: r.completed, failed: r.failed, cancelled: r.cancelled },
      totalJobs: r.total,
      lastJobAt: new Date(r.last_job_at).toISOString(),
      best: best.get(r.experiment) ?? {},
    }));
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  /** Only for a page past the end, where the grouped query returns no row to carry the count. */
  private async countExperiments(tenantId: string): Promise<number> {
    const [{ total }] = await this.em.getConnection().execute<{ total: number }[]>(`select count(distinct experiment)::int as total from training_jobs where tenant_id = ?`, [tenantId]);
    return total;
  }

  /**
   * The best completed job per experiment and metric, by the metric's direction (earliest on ties), in one
   * statement: per metric, a top-1 probe per experiment on that metric's partial index (see the migration
   * that creates training_jobs_best_*_index). Metric names come from METRIC_DIRECTIONS, never from a request.
   */
  private async bestJobs(tenantId: string, experiments: string[]): Promise<Map<string, Record<string, { jobId: string; name: string; value: number }>>> {
    const result = new Map<string, Record<string, { jobId: string; name: string; value: number }>>();
    if (experiments.length === 0) return result;
    const pages = `(values ${experiments.map(() => '(?)').join(', ')}) as e(experiment)`;
    const probes = Object.entries(METRIC_DIRECTIONS).map(([metric, direction]) => {
      const value = `(metrics->>'${metric}')::float8`;
      return `select e.experiment, '${metric}' as metric, b.id, b.name, b.value
                from ${pages}
                cross join lateral (
                  select id, name, ${value} as value from training_jobs
                   where tenant_id = ? and experiment = e.experiment and status = 'completed' and ${value} is not null
                   order by ${value} ${direction === 'max' ? 'desc' : 'asc'} nulls last, created_at limit 1) b`;
    });
    const params = Object.keys(METRIC_DIRECTIONS).flatMap(() => [...experiments, tenantId]);
    const rows = await this.em.getConnection().execute<{ experiment: string; metric: string; id: string; name: string; value: number }[]>(probes.join('\n union all\n'), params);
    for (const row of rows) {
      const best = result.get(row.experiment) ?? {};
      best[row.metric] = { jobId: row.id, name: row.name, value: row.value };
      result.set(row.experiment, best);
    }
    return result;
  }

  /** Params and metrics of several jobs side by side, keyed by job id, with the union of their keys. */
  async compare(principal: Principal, ids: string[]) {
    const jobs = await this.em.find(TrainingJob, { id: { $in: ids }, tenantId: principal.tenantId });
    const missing = ids.filter((id) => !jobs.some((j) => j.id === id));
    if (missing.length) throw notFound('JOB', missing.join(', '));
    const ordered = ids.map((id) => jobs.find((j) => j.id === id)!);
    const scalarMetrics = (m: Record<string, unknown> | null) => Object.fromEntries(Object.entries(m ?? {}).filter(([, v]) => typeof v === 'number' || v === null));
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
