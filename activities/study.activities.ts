import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { CONTROL_QUEUE, PRIORITY_KEYS, queueName, type TrainingSpec, type TrialLink, type TrainingWorkflowInput } from '@trainyard/contracts';
import { JobStore, Study, StudyTrial, TrainingJob, buildTrainingJob, notifyStudy, type BestTrial, type StudyStatus } from '@trainyard/db';
import type { ActivityDeps } from './activity-deps';
import { derivedUuid } from './derived-id';

export interface PlannedTrial {
  jobId: string;
  workflowId: string;
  taskQueue: string;
  input: TrainingWorkflowInput;
  priorityKey: number;
}

/** A job id derived from (study, trial number), so a retried activity finds the job it made. */
export function trialJobId(studyId: string, number: number): string {
  return derivedUuid(`${studyId}:${number}`);
}

/** A pruned study's trials report its objective metric each round (an extra evaluation per round); others report their loss. */
function prunedBy(study: Study): Pick<TrialLink, 'objective'> {
  return study.pruner === 'none' ? {} : { objective: study.objective };
}

export function createStudyActivities(deps: ActivityDeps) {
  return {
    /** Creates trial `number`'s training job (the study's job with the suggested params) and its trial row. */
    async startTrialJob(input: { studyId: string; studyWorkflowId: string; number: number; params: Record<string, unknown>; queuePrefix: string }): Promise<PlannedTrial> {
      const em = deps.orm.em.fork();
      const study = await em.findOneOrFail(Study, { id: input.studyId });
      const jobId = trialJobId(study.id, input.number);
      let job = await em.findOne(TrainingJob, { id: jobId });
      if (!job) {
        const { tags, ...base } = study.job;
        const spec: TrainingSpec = { ...base, model: { ...base.model, params: { ...base.model.params, ...input.params } } };
        job = buildTrainingJob({ tenantId: study.tenantId, spec, tags: { ...(tags ?? {}), study: study.name, trial: String(input.number) }, notes: null, createdBy: `study:${study.name}`, studyId: study.id });
        job.id = jobId;
        job.workflowId = `training-job-${jobId}`;
        try {
          await em.persistAndFlush(job);
          await new JobStore(em).log(jobId, { level: 'info', message: `trial ${input.number} of study ${study.name}`, data: { params: input.params } });
        } catch (err) {
          if (!(err instanceof UniqueConstraintViolationException)) throw err;
          job = await em.findOneOrFail(TrainingJob, { id: jobId });
        }
      }
      // Outside the branch above: a retry after a crash between the two writes still gets its trial row.
      await em.getConnection().execute(
        `insert into study_trials (study_id, number, status, params, job_id, created_at) values (?, ?, 'running', ?::jsonb, ?, now()) on conflict do nothing`,
        [study.id, input.number, JSON.stringify(input.params), jobId],
      );
      await notifyStudy(em, study.id, 'trial');
      return {
        jobId,
        workflowId: job.workflowId,
        taskQueue: queueName(CONTROL_QUEUE, input.queuePrefix),
        input: { jobId, tenantId: job.tenantId, spec: job.spec, queuePrefix: input.queuePrefix, trial: { studyWorkflowId: input.studyWorkflowId, number: input.number, ...prunedBy(study) } },
        priorityKey: PRIORITY_KEYS[job.spec.priority],
      };
    },

    /** Records how a trial ended; a completed trial's value is its objective metric on the validation split (test split when there is none). */
    async recordTrial(input: { studyId: string; number: number; outcome: 'completed' | 'pruned' | 'failed' }): Promise<{ status: 'completed' | 'pruned' | 'failed'; value: number | null }> {
      const em = deps.orm.em.fork();
      const study = await em.findOneOrFail(Study, { id: input.studyId });
      const trial = await em.findOneOrFail(StudyTrial, { studyId: input.studyId, number: input.number });
      let status = input.outcome;
      let value: number | null = null;
      if (status === 'completed') {
        const job = await em.findOneOrFail(TrainingJob, { id: trial.jobId });
        const metric = study.objective.metric;
        const candidate = job.validationMetrics?.[metric] ?? job.metrics?.[metric];
        if (typeof candidate === 'number' && Number.isFinite(candidate)) value = candidate;
        else status = 'failed';
      }
      await em.nativeUpdate(StudyTrial, { studyId: input.studyId, number: input.number }, { status, value, completedAt: new Date() });
      await notifyStudy(em, input.studyId, 'trial');
      return { status, value };
    },

    /** Closes the study with its best trial. */
    async finishStudy(input: { studyId: string; status: StudyStatus }): Promise<BestTrial | null> {
      const em = deps.orm.em.fork();
      const study = await em.findOneOrFail(Study, { id: input.studyId });
      const best = await em.findOne(
        StudyTrial,
        { studyId: study.id, status: 'completed', value: { $ne: null } },
        { orderBy: { value: study.objective.direction === 'maximize' ? 'desc' : 'asc', number: 'asc' } },
      );
      const bestTrial = best ? { number: best.number, params: best.params, value: best.value!, jobId: best.jobId } : null;
      await em.nativeUpdate(Study, { id: study.id, status: 'running' }, { status: input.status, bestTrial, completedAt: new Date() });
      await notifyStudy(em, study.id, 'status');
      return bestTrial;
    },
  };
}

export type StudyActivities = ReturnType<typeof createStudyActivities>;
