import { randomInt } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { CONTROL_QUEUE, queueName, type StudyWorkflowInput } from '@trainyard/contracts';
import { MetricPoint, Study, StudyTrial } from '@trainyard/db';
import type { studyWorkflow } from '../../../../workflows';
import { TPE_STARTUP_TRIALS } from '../../../../workflows/search';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, unavailable } from '../common/api-error';
import { WithStatus } from '../common/endpoint';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { pageWindow, type Page, type PageQuery } from '../common/schemas';
import { temporalWorkflowUrl } from '../common/temporal-link';
import { CONFIG, TEMPORAL_CLIENT } from '../config.token';
import { TrainingJobsService } from '../jobs/training-jobs.service';
import type { StudyDto, StudyRequest } from './studies.dto';

/** What makes a study less useful than it looks; shown in its response and logged at creation. */
export function studyWarnings(study: Pick<Study, 'sampler' | 'trials'>): string[] {
  const warnings: string[] = [];
  if (study.sampler === 'tpe' && study.trials <= TPE_STARTUP_TRIALS) {
    warnings.push(`TPE samples at random for its first ${TPE_STARTUP_TRIALS} trials; with ${study.trials} trials this study is a random search (ask for more than ${TPE_STARTUP_TRIALS})`);
  }
  return warnings;
}

@Injectable()
export class StudiesService {
  private readonly logger = new Logger('studies');

  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly idempotency: IdempotencyService,
    private readonly jobs: TrainingJobsService,
  ) {}

  submit(principal: Principal, req: StudyRequest, body: unknown, key: string | undefined): Promise<WithStatus<StudyDto>> {
    return this.idempotency.run({ route: 'POST /v1/studies', key, hash: requestHash(body) }, async () => new WithStatus(201, await this.create(principal, req)));
  }

  async create(principal: Principal, req: StudyRequest): Promise<StudyDto> {
    const spec = await this.jobs.resolveSpec(req.job, 'job.');
    const seed = req.seed ?? randomInt(0, 2 ** 31 - 1);
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
      seed,
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
      config: { searchSpace: req.searchSpace, objective: req.objective, trials: req.trials, parallelism: req.parallelism, sampler: req.sampler, pruner: req.pruner, seed, timeoutSeconds: req.timeoutSeconds, register: req.register },
    };
    const staticSummary = `study ${study.name}: ${study.sampler}, ${study.trials} trials of ${await this.jobs.runSummary(spec)}`;
    try {
      await this.temporal.workflow.start<typeof studyWorkflow>('studyWorkflow', { taskQueue: queueName(CONTROL_QUEUE, this.config.queuePrefix), workflowId: study.workflowId, args: [input], staticSummary });
    } catch (err) {
      await this.em.nativeDelete(Study, { id: study.id });
      throw unavailable('the workflow service', err);
    }
    for (const warning of studyWarnings(study)) this.logger.warn(`study ${study.id} (${study.name}): ${warning}`);
    return this.describe(study.id);
  }

  async get(id: string): Promise<Study> {
    const study = await this.em.findOne(Study, { id });
    if (!study) throw notFound('STUDY', id);
    return study;
  }

  async describe(id: string): Promise<StudyDto> {
    const study = await this.get(id);
    await this.em.refresh(study);
    const counts = (await this.em
      .createQueryBuilder(StudyTrial)
      .select(['status', raw('count(*)::int as n')])
      .where({ studyId: study.id })
      .groupBy('status')
      .execute('all')) as { status: string; n: number }[];
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
      job: study.job as unknown as Record<string, unknown>,
      trialsCompleted: count('completed'),
      trialsPruned: count('pruned'),
      trialsFailed: count('failed'),
      trialsRunning: count('running'),
      bestTrial: best,
      error: study.error,
      workflowId: study.workflowId,
      temporalUrl: temporalWorkflowUrl(this.config, study.workflowId),
      warnings: studyWarnings(study),
      createdBy: study.createdBy,
      createdAt: study.createdAt.toISOString(),
      completedAt: study.completedAt?.toISOString() ?? null,
    };
  }

  private async liveBest(study: Study) {
    const best = await this.em.findOne(StudyTrial, { studyId: study.id, status: 'completed', value: { $ne: null } }, { orderBy: { value: study.objective.direction === 'maximize' ? 'desc' : 'asc', number: 'asc' } });
    return best ? { number: best.number, params: best.params, value: best.value!, jobId: best.jobId } : null;
  }

  async list(query: PageQuery): Promise<Page<StudyDto>> {
    const page = pageWindow(query);
    const [items, total] = await this.em.findAndCount(Study, {}, { orderBy: { createdAt: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: await Promise.all(items.map((s) => this.describe(s.id))), total, page: page.page, pageSize: page.pageSize };
  }

  /**
   * Trials with their intermediate values per round or epoch: the objective metric on validation rows where the
   * trial's engine reported it (a pruned study's trials do), else its validation loss.
   */
  async trials(id: string, query: PageQuery) {
    const page = pageWindow(query);
    const study = await this.get(id);
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

  async cancel(id: string): Promise<StudyDto> {
    const study = await this.get(id);
    if (study.status !== 'running') throw new ApiError('STUDY_NOT_CANCELLABLE', `study ${id} is already ${study.status}`);
    await this.temporal.workflow
      .getHandle(study.workflowId)
      .cancel()
      .catch((err: unknown) => {
        if (!(err instanceof WorkflowNotFoundError)) throw unavailable('the workflow service', err);
      });
    return this.describe(id);
  }
}
