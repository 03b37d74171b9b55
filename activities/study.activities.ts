import type { Device, InputScaling, JobError, ModelType, ModelVersionRef, TrainingSpec } from '@trainyard/contracts';
import { EventStore, JobStore, ModelAlias, ModelAliasEvent, ModelVersion, Study, StudyTrial, TrainingJob, buildTrainingJob, notifyStudy, type BestTrial, type StudyStatus } from '@trainyard/db';
import { objectKeys } from '@trainyard/storage';
import type { ActivityDeps } from './activity-deps';
import { derivedUuid } from './derived-id';
import { startDeliveryIfSubscribed, trainingEventData } from './events';
import { scalingOf } from './pipeline/preprocess';
import { chooseDevice } from './placement';

/** A job id derived from (study, trial number), so a retried activity finds the job it made. */
export function trialJobId(studyId: string, number: number): string {
  return derivedUuid(`${studyId}:${number}`);
}

/** The search parameter that chooses the trial's model family. */
export const MODEL_TYPE_PARAM = 'model.type';

/**
 * A trial's spec: the study's job with the trial's params. A trial of another family than the job's (the search
 * chose `model.type`) keeps none of the job's params, which belong to the job's family.
 */
export function trialSpec(study: Pick<Study, 'job'>, params: Record<string, unknown>): TrainingSpec {
  const { tags: _tags, ...base } = study.job;
  const { [MODEL_TYPE_PARAM]: chosen, ...own } = params;
  const type = typeof chosen === 'string' ? (chosen as ModelType) : base.model.type;
  const inherited = type === base.model.type ? base.model.params : {};
  return { ...base, model: { type, params: { ...inherited, ...own } } };
}

/** The model families a study's trials may train: the job's, or the choices its search has for model.type. */
export function modelTypesOf(study: Pick<Study, 'job' | 'searchSpace'>): ModelType[] {
  const space = study.searchSpace[MODEL_TYPE_PARAM] as { choices?: unknown[] } | undefined;
  return (space?.choices ?? [study.job.model.type]) as ModelType[];
}

/** The input scalings a study's trials need: one per kind of family its search can choose. */
export function scalingsFor(study: Pick<Study, 'job' | 'searchSpace'>): InputScaling[] {
  return [...new Set(modelTypesOf(study).map((type) => scalingOf(trialSpec(study, { [MODEL_TYPE_PARAM]: type }))))];
}


/** How many studies' rows a worker keeps: those whose workflows it runs now. */
const KEPT_STUDIES = 64;

/**
 * Study rows as the trial bookkeeping reads them: a study's name, tenant, job and search never change once it is
 * created, so each worker reads a study once rather than once per trial.
 */
class StudyRows {
  private readonly rows = new Map<string, Promise<Study>>();

  constructor(private readonly deps: ActivityDeps) {}

  get(id: string): Promise<Study> {
    let row = this.rows.get(id);
    if (row) {
      // Most recently used last, so the oldest goes first.
      this.rows.delete(id);
      this.rows.set(id, row);
      return row;
    }
    row = this.deps.orm.em.fork().findOneOrFail(Study, { id });
    // A failed read is not kept: the next trial reads again.
    row.catch(() => this.rows.delete(id));
    this.rows.set(id, row);
    if (this.rows.size > KEPT_STUDIES) this.rows.delete(this.rows.keys().next().value!);
    return row;
  }
}

/** A study's bookkeeping: short database writes, run as local activities on the worker that runs the study. */
export function createStudyActivities(deps: ActivityDeps) {
  const studies = new StudyRows(deps);
  return {
    /** Where the study's trials train: the device its job asks for, as a job would be placed. */
    async placeStudy(input: { studyId: string; queuePrefix: string }): Promise<{ device: Device; spec: TrainingSpec; tenantId: string; scalings: InputScaling[] }> {
      const study = await deps.orm.em.fork().findOneOrFail(Study, { id: input.studyId });
      const { execution } = study.job;
      const placed = await chooseDevice(deps, { queuePrefix: input.queuePrefix, device: execution.device, requireGpu: execution.requireGpu, modelTypes: modelTypesOf(study) }, async () => undefined);
      return { device: placed.device, spec: trialSpec(study, {}), tenantId: study.tenantId, scalings: scalingsFor(study) };
    },

    /** Creates trial `number`'s job (the study's job with the suggested params) and its trial row. */
    async startTrialJob(input: { studyId: string; studyWorkflowId: string; number: number; params: Record<string, unknown> }): Promise<{ jobId: string; spec: TrainingSpec; scaling: InputScaling }> {
      const study = await studies.get(input.studyId);
      const jobId = trialJobId(study.id, input.number);
      const spec = trialSpec(study, input.params);
      // The job, its first log line, the trial row and the study's notice commit together: one commit per trial, not
      // four, on the path between one trial and the next. A retry finds the job and still gets its trial row.
      await deps.orm.em.fork().transactional(async (tx) => {
        if (!(await tx.findOne(TrainingJob, { id: jobId }, { fields: ['id'] }))) {
          const job = buildTrainingJob({
            tenantId: study.tenantId,
            spec,
            tags: { ...(study.job.tags ?? {}), study: study.name, trial: String(input.number) },
            notes: null,
            createdBy: `study:${study.name}`,
            studyId: study.id,
          });
          job.id = jobId;
          // A trial runs inside its study's workflow: that is where Temporal shows it.
          job.workflowId = input.studyWorkflowId;
          await tx.persistAndFlush(job);
          await new JobStore(tx).log(jobId, { level: 'info', message: `trial ${input.number} of study ${study.name}`, data: { params: input.params } });
        }
        await tx.getConnection().execute(
          `insert into study_trials (study_id, number, status, params, job_id, created_at) values (?, ?, 'running', ?::jsonb, ?, now()) on conflict do nothing`,
          [study.id, input.number, JSON.stringify(input.params), jobId],
          'run',
          tx.getTransactionContext(),
        );
        await notifyStudy(tx, study.id, 'trial');
      });
      return { jobId, spec, scaling: scalingOf(spec) };
    },

    /** Records a trial that did not complete: pruned (its job cancelled) or failed (its job failed, with the cause). */
    async recordTrial(input: { studyId: string; number: number; outcome: 'pruned' | 'failed' | 'cancelled'; error: JobError | null }): Promise<void> {
      const em = deps.orm.em.fork();
      const trial = await em.findOneOrFail(StudyTrial, { studyId: input.studyId, number: input.number });
      const failed = input.outcome === 'failed';
      const type = failed ? 'training.failed' : 'training.cancelled';
      // The job's outcome, its log line and its event commit together: whoever sees the job ended finds its event.
      const event = await em.transactional(async (tx) => {
        const jobs = new JobStore(tx);
        if (!(await jobs.finalize(trial.jobId, { status: failed ? 'failed' : 'cancelled', error: failed ? input.error : null, modelVersion: null }))) return null;
        const message = input.outcome === 'pruned' ? 'trial pruned by the study' : input.outcome === 'cancelled' ? 'trial cancelled' : `trial failed: ${input.error?.code}: ${input.error?.message}`;
        await jobs.log(trial.jobId, { level: failed ? 'error' : 'info', message });
        const job = await tx.findOneOrFail(TrainingJob, { id: trial.jobId }, { refresh: true });
        return { tenantId: job.tenantId, id: await new EventStore(tx).record(job.tenantId, type, `training:${job.id}`, trainingEventData(job)) };
      });
      if (event) await startDeliveryIfSubscribed(deps, event.tenantId, type, event.id);
      await em.nativeUpdate(StudyTrial, { studyId: input.studyId, number: input.number, status: 'running' }, { status: input.outcome === 'pruned' ? 'pruned' : 'failed', completedAt: new Date() });
      await deps.storage.deletePrefix(objectKeys.jobPrefix(trial.jobId)).catch(() => undefined);
      await notifyStudy(em, input.studyId, 'trial');
    },

    /**
     * Closes the study: its best trial (with the model version it became, when registered), the alias pointed at
     * it when asked, and the study's shared objects deleted.
     */
    async finishStudy(input: { studyId: string; status: StudyStatus; error?: JobError | null; registered: { number: number; version: ModelVersionRef }[]; alias: string | null }): Promise<BestTrial | null> {
      const em = deps.orm.em.fork();
      const study = await em.findOneOrFail(Study, { id: input.studyId });
      const best = await em.findOne(
        StudyTrial,
        { studyId: study.id, status: 'completed', value: { $ne: null } },
        { orderBy: { value: study.objective.direction === 'maximize' ? 'desc' : 'asc', number: 'asc' } },
      );
      const version = best ? input.registered.find((r) => r.number === best.number)?.version : undefined;
      const bestTrial: BestTrial | null = best ? { number: best.number, params: best.params, value: best.value!, jobId: best.jobId, ...(version ? { modelVersion: version } : {}) } : null;
      if (version && input.alias) await pointAlias(deps, study, version, input.alias);
      await em.nativeUpdate(Study, { id: study.id, status: 'running' }, { status: input.status, bestTrial, error: input.error ?? null, completedAt: new Date() });
      await deps.storage.deletePrefix(objectKeys.studyPrefix(study.id)).catch(() => undefined);
      await notifyStudy(em, study.id, 'status');
      return bestTrial;
    },
  };
}

/**
 * Points the study's alias at its best version and records the move, as a manual move would be: an audit row and a
 * model.promoted event (once per study, whatever retries happen), delivered to the webhooks that listen.
 */
async function pointAlias(deps: ActivityDeps, study: Study, version: ModelVersionRef, alias: string): Promise<void> {
  const actor = `study:${study.name}`;
  const reason = `best trial of study ${study.name}`;
  const eventId = await deps.orm.em.fork().transactional(async (tx) => {
    const current = await tx.findOne(ModelAlias, { tenantId: study.tenantId, modelName: version.name, alias });
    // A retry after the move finds its own audit row, and announces the same move again (the event is recorded once).
    const ours = current?.version === version.version ? await tx.findOne(ModelAliasEvent, { tenantId: study.tenantId, modelName: version.name, alias, toVersion: version.version, actor }, { orderBy: { at: 'desc' } }) : null;
    if (current?.version === version.version && !ours) return null;
    const previousVersion = ours ? ours.fromVersion : (current?.version ?? null);
    if (!ours) {
      if (current) await tx.nativeUpdate(ModelAlias, { tenantId: study.tenantId, modelName: version.name, alias }, { version: version.version, updatedBy: actor, updatedAt: new Date() });
      else tx.persist(tx.create(ModelAlias, { tenantId: study.tenantId, modelName: version.name, alias, version: version.version, updatedBy: actor, updatedAt: new Date() }));
      tx.persist(tx.create(ModelAliasEvent, { tenantId: study.tenantId, modelName: version.name, alias, fromVersion: previousVersion, toVersion: version.version, actor, reason, at: new Date() }));
      await tx.flush();
    }
    const registered = await tx.findOneOrFail(ModelVersion, { tenantId: study.tenantId, name: version.name, version: version.version });
    return new EventStore(tx).record(study.tenantId, 'model.promoted', `promoted:study:${study.id}`, {
      jobId: registered.jobId,
      modelName: version.name,
      modelVersion: version.version,
      modelType: registered.modelType,
      alias,
      previousVersion,
      actor,
      reason,
      metrics: registered.metrics,
      deploymentReady: true,
      performanceImprovement: null,
    });
  });
  if (eventId) await startDeliveryIfSubscribed(deps, study.tenantId, 'model.promoted', eventId);
}

export type StudyActivities = ReturnType<typeof createStudyActivities>;
