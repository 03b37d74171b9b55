import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { CONTROL_QUEUE, METRIC_DIRECTIONS, PRUNERS, SAMPLERS, queueName, type PrunerKind, type SamplerKind, type StudyWorkflowInput, type TrainingSpec } from '@trainyard/contracts';
import { Dataset, MetricPoint, Study, StudyTrial } from '@trainyard/db';
import { modelParamNames } from '@trainyard/ml';
import type { studyWorkflow } from '../../../../workflows';
import { validateSearchSpace } from '../../../../workflows/search';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, unavailable, validationFailed, type FieldError } from '../common/api-error';
import type { Page, PageQuery } from '../common/pagination';
import { CONFIG, TEMPORAL_CLIENT } from '../config.token';
import { parseTrainingJobRequest } from '../jobs/training-job.request';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface StudyRequest {
  name: string;
  job: ReturnType<typeof parseTrainingJobRequest>;
  searchSpace: Obj;
  objective: { metric: string; direction: 'maximize' | 'minimize' };
  trials: number;
  parallelism: number;
  sampler: SamplerKind;
  pruner: PrunerKind;
  timeoutSeconds: number | null;
  seed: number;
}

function int(v: unknown, field: string, fallback: number, min: number, max: number, errors: FieldError[]): number {
  if (v === undefined || v === null) return fallback;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
    errors.push({ field, message: `an integer from ${min} to ${max}` });
    return fallback;
  }
  return v as number;
}

export function parseStudyRequest(body: unknown): StudyRequest {
  const b = isObj(body) ? body : {};
  const errors: FieldError[] = [];
  if (typeof b.name !== 'string' || !NAME.test(b.name)) errors.push({ field: 'name', message: 'letters, digits, ".", "_" or "-", up to 128 characters' });
  let job: StudyRequest['job'] | null = null;
  try {
    job = parseTrainingJobRequest(b.job);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    for (const f of (err.details.fields as FieldError[] | undefined) ?? []) errors.push({ field: f.field === 'body' ? 'job' : `job.${f.field}`, message: f.message });
  }
  const space = isObj(b.searchSpace) ? b.searchSpace : null;
  if (!space || Object.keys(space).length === 0) errors.push({ field: 'searchSpace', message: 'an object of at least one parameter' });
  else if (job) {
    for (const e of validateSearchSpace(space as never, [...modelParamNames(job.spec.model.type)])) errors.push({ field: e.field.startsWith('searchSpace') ? e.field : `searchSpace.${e.field}`, message: e.message });
  }
  const objective = isObj(b.objective) ? b.objective : {};
  const metric = objective.metric;
  if (typeof metric !== 'string' || !(metric in METRIC_DIRECTIONS)) errors.push({ field: 'objective.metric', message: `one of ${Object.keys(METRIC_DIRECTIONS).join(', ')}` });
  const direction = objective.direction ?? (typeof metric === 'string' && METRIC_DIRECTIONS[metric] === 'min' ? 'minimize' : 'maximize');
  if (direction !== 'maximize' && direction !== 'minimize') errors.push({ field: 'objective.direction', message: 'maximize or minimize' });
  const trials = int(b.trials, 'trials', 20, 1, 10_000, errors);
  const parallelism = int(b.parallelism, 'parallelism', 4, 1, 64, errors);
  const sampler = (b.sampler ?? 'tpe') as SamplerKind;
  if (!SAMPLERS.includes(sampler)) errors.push({ field: 'sampler', message: `one of ${SAMPLERS.join(', ')}` });
  const pruner = (b.pruner ?? 'none') as PrunerKind;
  if (!PRUNERS.includes(pruner)) errors.push({ field: 'pruner', message: `one of ${PRUNERS.join(', ')}` });
  const timeoutSeconds = b.timeoutSeconds === undefined || b.timeoutSeconds === null ? null : int(b.timeoutSeconds, 'timeoutSeconds', 0, 10, 30 * 86_400, errors);
  const seed = int(b.seed, 'seed', randomInt(0, 2 ** 31 - 1), 0, 2 ** 31 - 1, errors);
  if (errors.length) throw validationFailed(errors);
  return { name: b.name as string, job: job!, searchSpace: space!, objective: { metric: metric as string, direction: direction as 'maximize' | 'minimize' }, trials, parallelism, sampler, pruner, timeoutSeconds, seed };
}

@Injectable()
export class StudiesService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async create(principal: Principal, req: StudyRequest) {
    const dataset = await this.em.findOne(Dataset, { id: req.job.spec.datasetId, tenantId: principal.tenantId });
    if (!dataset) throw notFound('DATASET', req.job.spec.datasetId);
    const spec: TrainingSpec = { ...req.job.spec, name: req.job.spec.name ?? `${dataset.name}-${req.job.spec.model.type}` };
    const study = this.em.create(Study, {
      tenantId: principal.tenantId,
      name: req.name,
      job: { ...spec, tags: req.job.tags },
      searchSpace: req.searchSpace,
      objective: req.objective,
      trials: req.trials,
      parallelism: req.parallelism,
      sampler: req.sampler,
      pruner: req.pruner,
      timeoutSeconds: req.timeoutSeconds,
      seed: req.seed,
      status: 'running',
      bestTrial: null,
      completedAt: null,
      workflowId: '',
      createdBy: principal.name,
      createdAt: new Date(),
    });
    study.workflowId = `study-${study.id}`;
    await this.em.persistAndFlush(study);
    const input: StudyWorkflowInput = {
      studyId: study.id,
      tenantId: principal.tenantId,
      queuePrefix: this.config.queuePrefix,
      config: { searchSpace: req.searchSpace, objective: req.objective, trials: req.trials, parallelism: req.parallelism, sampler: req.sampler, pruner: req.pruner, seed: req.seed, timeoutSeconds: req.timeoutSeconds },
    };
    try {
      await this.temporal.workflow.start<typeof studyWorkflow>('studyWorkflow', { taskQueue: queueName(CONTROL_QUEUE, this.config.queuePrefix), workflowId: study.workflowId, args: [input] });
    } catch (err) {
      await this.em.nativeDelete(Study, { id: study.id });
      throw unavailable('the workflow service', err);
    }
    return this.describe(principal, study.id);
  }

  async get(principal: Principal, id: string): Promise<Study> {
    const study = await this.em.findOne(Study, { id, tenantId: principal.tenantId });
    if (!study) throw notFound('STUDY', id);
    return study;
  }

  async describe(principal: Principal, id: string) {
    const study = await this.get(principal, id);
    await this.em.refresh(study);
    const counts = await this.em.getConnection().execute<{ status: string; n: number }[]>(`select status, count(*)::int as n from study_trials where study_id = ? group by status`, [study.id]);
    const count = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
    const best = study.bestTrial ?? (await this.liveBest(study));
    return {
      id: study.id,
      name: study.name,
      status: study.status,
      objective: study.objective,
      searchSpace: study.searchSpace,
      sampler: study.sampler,
      pruner: study.pruner,
      trials: study.trials,
      parallelism: study.parallelism,
      timeoutSeconds: study.timeoutSeconds,
      seed: study.seed,
      job: study.job,
      trialsCompleted: count('completed'),
      trialsPruned: count('pruned'),
      trialsFailed: count('failed'),
      trialsRunning: count('running'),
      bestTrial: best,
      workflowId: study.workflowId,
      createdBy: study.createdBy,
      createdAt: study.createdAt.toISOString(),
      completedAt: study.completedAt?.toISOString() ?? null,
    };
  }

  private async liveBest(study: Study) {
    const best = await this.em.findOne(StudyTrial, { studyId: study.id, status: 'completed', value: { $ne: null } }, { orderBy: { value: study.objective.direction === 'maximize' ? 'desc' : 'asc', number: 'asc' } });
    return best ? { number: best.number, params: best.params, value: best.value, jobId: best.jobId } : null;
  }

  async list(principal: Principal, page: PageQuery): Promise<Page<unknown>> {
    const [items, total] = await this.em.findAndCount(Study, { tenantId: principal.tenantId }, { orderBy: { createdAt: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: await Promise.all(items.map((s) => this.describe(principal, s.id))), total, page: page.page, pageSize: page.pageSize };
  }

  /**
   * Trials with their intermediate values per round or epoch: the objective metric on validation rows where the
   * trial's engine reported it (a pruned study's trials do), else its validation loss.
   */
  async trials(principal: Principal, id: string, page: PageQuery) {
    const study = await this.get(principal, id);
    const [trials, total] = await this.em.findAndCount(StudyTrial, { studyId: study.id }, { orderBy: { number: 'asc' }, limit: page.pageSize, offset: page.offset });
    const points = trials.length ? await this.em.find(MetricPoint, { jobId: { $in: trials.map((t) => t.jobId) }, name: { $like: 'validation.%' } }, { orderBy: { step: 'asc' } }) : [];
    return {
      items: trials.map((t) => {
        const mine = points.filter((p) => p.jobId === t.jobId);
        const objective = `validation.${study.objective.metric}`;
        const series = mine.some((p) => p.name === objective) ? objective : mine.length ? mine[0].name : null;
        return { number: t.number, status: t.status, params: t.params, value: t.value, intermediate: mine.filter((p) => p.name === series).map((p) => ({ step: p.step, value: p.value })), jobId: t.jobId };
      }),
      total,
      page: page.page,
      pageSize: page.pageSize,
    };
  }

  async cancel(principal: Principal, id: string) {
    const study = await this.get(principal, id);
    if (study.status !== 'running') throw new ApiError('STUDY_NOT_CANCELLABLE', `study ${id} is already ${study.status}`);
    await this.temporal.workflow
      .getHandle(study.workflowId)
      .cancel()
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw unavailable('the workflow service', err);
      });
    return this.describe(principal, id);
  }
}
