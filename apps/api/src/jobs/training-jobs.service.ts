import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, raw } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { CONTROL_QUEUE, PRIORITY_KEYS, TERMINAL_STATUSES, queueName, type TrainingSpec, type TrainingWorkflowInput } from '@trainyard/contracts';
import { Dataset, JOB_SEARCH_TEXT, JobLog, JobStore, LOG_LEVELS, MetricPoint, TrainingJob, buildTrainingJob, type LogLevel } from '@trainyard/db';
import type { trainingWorkflow } from '../../../../workflows';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, unavailable, validationFailed } from '../common/api-error';
import { WithStatus } from '../common/endpoint';
import { zodFieldErrors } from '../common/endpoint.interceptor';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { pageWindow, type Page } from '../common/schemas';
import { CONFIG, TEMPORAL_CLIENT } from '../config.token';
import { checkJobColumns, checkTargetForTask } from './job-columns';
import { checkParent } from './job-parent';
import { toJobDto } from './training-job.mapper';
import { temporalWorkflowUrl } from '../common/temporal-link';
import { TrainingJobRequest, type BulkCancelFilter, type JobListQuery, type ParsedJobRequest, type TrainingJobDto } from './training-job.dto';

type Series = Record<string, { step: number; value: number | null; ts: string }[]>;

/** Cancellation requests to Temporal in flight at once during a bulk cancel. */
const BULK_CANCEL_CONCURRENCY = 8;

/** `%`, `_` and the escape character itself match literally in an ILIKE pattern. */
function likeEscaped(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

@Injectable()
export class TrainingJobsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly idempotency: IdempotencyService,
  ) {}

  submit(principal: Principal, request: ParsedJobRequest, body: unknown, key: string | undefined): Promise<WithStatus<TrainingJobDto>> {
    return this.idempotency.run({ route: 'POST /v1/training-jobs', key, hash: requestHash(body) }, async () => new WithStatus(201, await this.create(principal, request)));
  }

  /** The job's dataset, and the spec with its default name, after checking every column it names and its target. */
  async resolveSpec(request: ParsedJobRequest, fieldPrefix = ''): Promise<TrainingSpec> {
    const dataset = await this.em.findOne(Dataset, { id: request.spec.datasetId });
    if (!dataset) throw notFound('DATASET', request.spec.datasetId);
    if (dataset.archivedAt) {
      throw validationFailed([{ field: `${fieldPrefix}datasetId`, message: `dataset ${dataset.name} v${dataset.version} is archived: unarchive it (POST /v1/datasets/${dataset.id}/unarchive) to train on it` }]);
    }
    checkJobColumns(request.spec, dataset, fieldPrefix);
    checkTargetForTask(request.spec, dataset, fieldPrefix);
    await checkParent(this.em, request.spec, dataset, fieldPrefix);
    return { ...request.spec, name: request.spec.name ?? `${dataset.name}-${request.spec.model.type}` };
  }

  /** What the run is, as the Temporal UI lists it: "xgboost on churn v3, experiment default". */
  async runSummary(spec: TrainingSpec): Promise<string> {
    const dataset = await this.em.findOne(Dataset, { id: spec.datasetId }, { fields: ['name', 'version'] });
    const on = dataset ? `${dataset.name} v${dataset.version}` : `dataset ${spec.datasetId}`;
    return `${spec.model.type} on ${on}, experiment ${spec.experiment}`;
  }

  /** Records the job and starts its workflow; if Temporal refuses, the job is removed again and nothing is accepted. */
  async create(principal: Principal, request: ParsedJobRequest, origin: { retryOf?: string } = {}): Promise<TrainingJobDto> {
    const spec = await this.resolveSpec(request);
    const em = this.em.fork();
    const job = buildTrainingJob({ tenantId: principal.tenantId, spec, tags: request.tags, notes: request.notes, createdBy: principal.name, retryOf: origin.retryOf });
    await em.persistAndFlush(job);

    const input: TrainingWorkflowInput = { jobId: job.id, tenantId: principal.tenantId, spec, queuePrefix: this.config.queuePrefix };
    const staticSummary = await this.runSummary(spec);
    try {
      await this.temporal.workflow.start<typeof trainingWorkflow>('trainingWorkflow', {
        taskQueue: queueName(CONTROL_QUEUE, this.config.queuePrefix),
        workflowId: job.workflowId,
        args: [input],
        priority: { priorityKey: PRIORITY_KEYS[spec.priority] },
        memo: { tenantId: principal.tenantId, jobName: spec.name },
        staticSummary,
      });
    } catch (err) {
      await em.nativeDelete(TrainingJob, { id: job.id });
      throw unavailable('the workflow service', err);
    }
    await new JobStore(em).log(job.id, { level: 'info', message: `job queued by ${principal.name} (priority ${spec.priority})` });
    return this.toDto(job);
  }

  async get(id: string): Promise<TrainingJob> {
    const job = await this.em.findOne(TrainingJob, { id });
    if (!job) throw notFound('JOB', id);
    return job;
  }

  toDto(job: TrainingJob, options?: Parameters<typeof toJobDto>[2]): TrainingJobDto {
    return toJobDto(job, (workflowId) => temporalWorkflowUrl(this.config, workflowId), options);
  }

  async describe(id: string): Promise<TrainingJobDto> {
    return this.toDto(await this.get(id));
  }

  /** A fresh read of a job this caller was shown, bypassing the request's identity map, for callers that poll. */
  async currentState(job: TrainingJob): Promise<Pick<TrainingJob, 'status' | 'error'>> {
    return this.em.fork().findOneOrFail(TrainingJob, { id: job.id }, { fields: ['status', 'error'] });
  }

  async list(query: JobListQuery): Promise<Page<TrainingJobDto>> {
    const page = pageWindow(query);
    const where = {
      ...(query.q ? { [raw(`(${JOB_SEARCH_TEXT})`)]: { $ilike: `%${likeEscaped(query.q)}%` } } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.experiment ? { experiment: query.experiment } : {}),
      ...(query.name ? { name: query.name } : {}),
      ...(query.modelType ? { modelType: query.modelType } : {}),
      ...(Object.keys(query.tag).length ? { tags: { $contains: query.tag } } : {}),
    };
    const [items, total] = await this.em.findAndCount(TrainingJob, where, {
      orderBy: { [query.sort.field]: query.sort.direction, id: query.sort.direction },
      limit: page.pageSize,
      offset: page.offset,
    });
    const now = new Date();
    // Plot points (ROC/PR curves, residuals) are left out of a page of jobs; GET the job for them.
    return { items: items.map((j) => this.toDto(j, { now, plots: false })), total, page: page.page, pageSize: page.pageSize };
  }

  async cancel(principal: Principal, id: string): Promise<TrainingJobDto> {
    const job = await this.get(id);
    if (TERMINAL_STATUSES.includes(job.status)) throw new ApiError('JOB_NOT_CANCELLABLE', `job ${id} is already ${job.status}`, { status: job.status });
    await this.requestCancellation(principal, job);
    await this.em.refresh(job);
    return this.toDto(job);
  }

  /**
   * Asks every job matching the filter to stop, a few at a time; returns how many were asked. A job that ended
   * meanwhile is not counted; one whose workflow is gone is recorded as cancelled at once, as a single cancel does.
   */
  async cancelMany(principal: Principal, filter: BulkCancelFilter): Promise<{ cancelled: number }> {
    const where = {
      status: filter.status,
      ...(filter.experiment ? { experiment: filter.experiment } : {}),
      ...(Object.keys(filter.tag).length ? { tags: { $contains: filter.tag } } : {}),
    };
    const jobs = await this.em.find(TrainingJob, where, { fields: ['id', 'workflowId', 'studyId', 'tags', 'status'], orderBy: { createdAt: 'asc' } });
    let cancelled = 0;
    for (let at = 0; at < jobs.length; at += BULK_CANCEL_CONCURRENCY) {
      const asked = await Promise.all(jobs.slice(at, at + BULK_CANCEL_CONCURRENCY).map((job) => this.requestCancellation(principal, job)));
      cancelled += asked.filter(Boolean).length;
    }
    return { cancelled };
  }

  /** Cancels the job's workflow (or its study trial); false when there was nothing left to stop. */
  private async requestCancellation(principal: Principal, job: Pick<TrainingJob, 'id' | 'workflowId' | 'studyId' | 'tags'>): Promise<boolean> {
    try {
      const handle = this.temporal.workflow.getHandle(job.workflowId);
      // A study trial runs inside its study's workflow: stop that trial, not the study.
      if (job.studyId) await handle.signal('cancelTrial', { number: Number(job.tags.trial) });
      else await handle.cancel();
      await new JobStore(this.em.fork()).log(job.id, { level: 'info', message: `cancellation requested by ${principal.name}` });
      return true;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw unavailable('the workflow service', err);
      // No workflow to stop: record the cancellation directly.
      return new JobStore(this.em.fork()).finalize(job.id, { status: 'cancelled', error: null, modelVersion: null });
    }
  }

  /** A new job with the old one's request, any fields in `overrides` replacing its own; validated like a new job. */
  async retry(principal: Principal, id: string, overrides: Record<string, unknown> | undefined): Promise<TrainingJobDto> {
    const job = await this.get(id);
    if (job.status !== 'failed' && job.status !== 'cancelled') {
      throw new ApiError('JOB_NOT_RETRYABLE', `only failed or cancelled jobs can be retried; job ${id} is ${job.status}`, { status: job.status });
    }
    let request: ParsedJobRequest = { spec: job.spec, tags: job.tags, notes: job.notes };
    if (overrides && Object.keys(overrides).length) {
      const { spec } = job;
      const original = { ...spec, preprocessing: spec.preprocessing, tags: job.tags, notes: job.notes };
      const parsed = TrainingJobRequest.safeParse({ ...original, ...overrides });
      if (!parsed.success) throw validationFailed(zodFieldErrors(parsed.error));
      request = parsed.data;
    }
    return this.create(principal, request, { retryOf: job.id });
  }

  async logs(job: TrainingJob, options: { tail: number; level: LogLevel; afterId?: string }): Promise<JobLog[]> {
    const levels = LOG_LEVELS.slice(LOG_LEVELS.indexOf(options.level));
    const where = { jobId: job.id, level: { $in: levels }, ...(options.afterId ? { id: { $gt: options.afterId } } : {}) };
    const rows = await this.em.fork().find(JobLog, where, { orderBy: { id: options.afterId ? 'asc' : 'desc' }, limit: options.tail });
    return options.afterId ? rows : rows.reverse();
  }

  async metricSeries(id: string): Promise<{ series: Series }> {
    const job = await this.get(id);
    const points = await this.em.find(MetricPoint, { jobId: job.id }, { orderBy: { name: 'asc', step: 'asc' } });
    const series: Series = {};
    for (const p of points) (series[p.name] ??= []).push({ step: p.step, value: p.value, ts: p.ts.toISOString() });
    return { series };
  }
}
