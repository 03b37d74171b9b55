import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { CONTROL_QUEUE, PRIORITY_KEYS, TERMINAL_STATUSES, queueName, type TrainingSpec, type TrainingWorkflowInput } from '@trainyard/contracts';
import { Dataset, JobLog, JobStore, LOG_LEVELS, MetricPoint, TrainingJob, buildTrainingJob, type LogLevel } from '@trainyard/db';
import type { trainingWorkflow } from '../../../../workflows';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, unavailable } from '../common/api-error';
import type { Page, PageQuery } from '../common/pagination';
import { CONFIG, TEMPORAL_CLIENT } from '../config.token';
import type { ParsedJobRequest } from './training-job.request';
import { toJobResponse, type TrainingJobResponse } from './training-job.response';

export const JOB_SORT_FIELDS = ['createdAt', 'startedAt', 'completedAt', 'name', 'status', 'priority', 'progress'] as const;

export interface JobFilter {
  status?: string;
  experiment?: string;
  name?: string;
  modelType?: string;
  tags: Record<string, string>;
  sort: { field: (typeof JOB_SORT_FIELDS)[number]; direction: 'asc' | 'desc' };
}

@Injectable()
export class TrainingJobsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  /** Records the job and starts its workflow; if Temporal refuses, the job is removed again and nothing is accepted. */
  async create(principal: Principal, request: ParsedJobRequest, origin: { retryOf?: string } = {}): Promise<TrainingJobResponse> {
    const dataset = await this.em.findOne(Dataset, { id: request.spec.datasetId, tenantId: principal.tenantId });
    if (!dataset) throw notFound('DATASET', request.spec.datasetId);
    const spec: TrainingSpec = { ...request.spec, name: request.spec.name ?? `${dataset.name}-${request.spec.model.type}` };

    const em = this.em.fork();
    const job = buildTrainingJob({ tenantId: principal.tenantId, spec, tags: request.tags, notes: request.notes, createdBy: principal.name, retryOf: origin.retryOf });
    await em.persistAndFlush(job);

    const input: TrainingWorkflowInput = { jobId: job.id, tenantId: principal.tenantId, spec, queuePrefix: this.config.queuePrefix };
    try {
      await this.temporal.workflow.start<typeof trainingWorkflow>('trainingWorkflow', {
        taskQueue: queueName(CONTROL_QUEUE, this.config.queuePrefix),
        workflowId: job.workflowId,
        args: [input],
        priority: { priorityKey: PRIORITY_KEYS[spec.priority] },
        memo: { tenantId: principal.tenantId, jobName: spec.name },
      });
    } catch (err) {
      await em.nativeDelete(TrainingJob, { id: job.id });
      throw unavailable('the workflow service', err);
    }
    await new JobStore(em).log(job.id, { level: 'info', message: `job queued by ${principal.name} (priority ${spec.priority})` });
    return toJobResponse(job);
  }

  async get(principal: Principal, id: string): Promise<TrainingJob> {
    const job = await this.em.findOne(TrainingJob, { id, tenantId: principal.tenantId });
    if (!job) throw notFound('JOB', id);
    return job;
  }

  /** A fresh read, bypassing the request's identity map, for callers that poll. */
  async currentState(id: string): Promise<Pick<TrainingJob, 'status' | 'error'>> {
    return this.em.fork().findOneOrFail(TrainingJob, { id }, { fields: ['status', 'error'] });
  }

  async list(principal: Principal, filter: JobFilter, page: PageQuery): Promise<Page<TrainingJobResponse>> {
    const qb = this.em.createQueryBuilder(TrainingJob, 'j').where({ tenantId: principal.tenantId });
    if (filter.status) qb.andWhere({ status: filter.status });
    if (filter.experiment) qb.andWhere({ experiment: filter.experiment });
    if (filter.name) qb.andWhere({ name: filter.name });
    if (filter.modelType) qb.andWhere({ modelType: filter.modelType });
    if (Object.keys(filter.tags).length) qb.andWhere('j.tags @> ?::jsonb', [JSON.stringify(filter.tags)]);
    qb.orderBy({ [filter.sort.field]: filter.sort.direction, id: filter.sort.direction }).limit(page.pageSize).offset(page.offset);
    const [items, total] = await qb.getResultAndCount();
    return { items: items.map(toJobResponse), total, page: page.page, pageSize: page.pageSize };
  }

  async cancel(principal: Principal, id: string): Promise<TrainingJobResponse> {
    const job = await this.get(principal, id);
    if (TERMINAL_STATUSES.includes(job.status)) throw new ApiError('JOB_NOT_CANCELLABLE', `job ${id} is already ${job.status}`, { status: job.status });
    try {
      await this.temporal.workflow.getHandle(job.workflowId).cancel();
      await new JobStore(this.em.fork()).log(job.id, { level: 'info', message: `cancellation requested by ${principal.name}` });
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw unavailable('the workflow service', err);
      // No workflow to stop: record the cancellation directly.
      await new JobStore(this.em.fork()).finalize(job.id, { status: 'cancelled', error: null, modelVersion: null });
    }
    await this.em.refresh(job);
    return toJobResponse(job);
  }

  async retry(principal: Principal, id: string): Promise<TrainingJobResponse> {
    const job = await this.get(principal, id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new ApiError('JOB_NOT_RETRYABLE', `only failed or cancelled jobs can be retried; job ${id} is ${job.status}`, { status: job.status });
    }
    return this.create(principal, { spec: job.spec, tags: job.tags, notes: job.notes }, { retryOf: job.id });
  }

  async logs(jobId: string, options: { tail: number; level: LogLevel; afterId?: string }): Promise<JobLog[]> {
    const levels = LOG_LEVELS.slice(LOG_LEVELS.indexOf(options.level));
    const where = { jobId, level: { $in: levels }, ...(options.afterId ? { id: { $gt: options.afterId } } : {}) };
    const rows = await this.em.fork().find(JobLog, where, { orderBy: { id: options.afterId ? 'asc' : 'desc' }, limit: options.tail });
    return options.afterId ? rows : rows.reverse();
  }

  async metricSeries(jobId: string): Promise<Record<string, { step: number; value: number | null; ts: string }[]>> {
    const points = await this.em.find(MetricPoint, { jobId }, { orderBy: { name: 'asc', step: 'asc' } });
    const series: Record<string, { step: number; value: number | null; ts: string }[]> = {};
    for (const p of points) (series[p.name] ??= []).push({ step: p.step, value: p.value, ts: p.ts.toISOString() });
    return series;
  }
}
