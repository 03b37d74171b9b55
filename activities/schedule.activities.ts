import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { improvement, metricsWithoutPlots, PRIORITY_KEYS, type PromotionComparison, type TrainingSpec, type TrainingWorkflowInput } from '@trainyard/contracts';
import { Dataset, EventStore, JobStore, ModelAlias, ModelAliasEvent, TrainingJob, TrainingSchedule, buildTrainingJob } from '@trainyard/db';
import type { ActivityDeps } from './activity-deps';
import { derivedUuid } from './derived-id';
import { startDeliveryIfSubscribed } from './events';

export interface PlannedRun {
  jobId: string;
  workflowId: string;
  input: TrainingWorkflowInput;
  priorityKey: number;
  promote: boolean;
}

export function createScheduleActivities(deps: ActivityDeps) {
  return {
    /** Creates this run's job on the newest unarchived version of the schedule's dataset; null when the schedule is gone. */
    async planScheduledRun(input: { scheduleId: string; runWorkflowId: string; runId?: string; queuePrefix: string }): Promise<PlannedRun | null> {
      const em = deps.orm.em.fork();
      const schedule = await em.findOne(TrainingSchedule, { id: input.scheduleId, deletedAt: null });
      if (!schedule) return null;
      // One job per run, whatever retries: runs that started before runId was passed keep their first key.
      const jobId = derivedUuid(`schedule-run:${input.runWorkflowId}${input.runId ? `:${input.runId}` : ''}`);
      let job = await em.findOne(TrainingJob, { id: jobId });
      if (!job) {
        const spec = schedule.job as unknown as TrainingSpec;
        const named = await em.findOne(Dataset, { id: spec.datasetId, tenantId: schedule.tenantId });
        // The newest version that is not archived (an archived one is kept only for lineage).
        const newest = named ? await em.findOne(Dataset, { tenantId: schedule.tenantId, name: named.name, archivedAt: null }, { orderBy: { version: 'desc' } }) : null;
        const runSpec: TrainingSpec = { ...spec, datasetId: newest?.id ?? spec.datasetId };
        job = buildTrainingJob({ tenantId: schedule.tenantId, spec: runSpec, tags: { ...((schedule.job.tags as Record<string, string>) ?? {}), schedule: schedule.name }, notes: null, createdBy: `schedule:${schedule.name}`, scheduleId: schedule.id });
        job.id = jobId;
        job.workflowId = `training-job-${jobId}`;
        try {
          await em.persistAndFlush(job);
          await new JobStore(em).log(jobId, { level: 'info', message: `queued by schedule ${schedule.name} on ${newest ? `${newest.name} v${newest.version}` : 'its dataset'}` });
        } catch (err) {
          if (!(err instanceof UniqueConstraintViolationException)) throw err;
          job = await em.findOneOrFail(TrainingJob, { id: jobId });
        }
      }
      const promotion = schedule.promote ? { alias: schedule.promote.alias, metric: schedule.promote.metric } : undefined;
      return {
        jobId,
        workflowId: job.workflowId,
        input: { jobId, tenantId: job.tenantId, spec: job.spec, queuePrefix: input.queuePrefix, scheduleId: schedule.id, ...(promotion ? { promotion } : {}) },
        priorityKey: PRIORITY_KEYS[job.spec.priority],
        promote: schedule.promote !== null,
      };
    },

    /**
     * Moves the alias to the new model when it beat the holder by at least minImprovement on the new job's test
     * rows (both were scored at evaluation: `comparison`), or when no model held the alias; records the decision on
     * the job and a model.promoted event.
     */
    async evaluatePromotion(input: { jobId: string; scheduleId: string; comparison?: PromotionComparison }): Promise<{ promoted: boolean; performanceImprovement: number | null }> {
      const em = deps.orm.em.fork();
      const job = await em.findOneOrFail(TrainingJob, { id: input.jobId });
      if (job.promotion) return { promoted: job.promotion.promoted, performanceImprovement: job.promotion.performanceImprovement };
      const schedule = await em.findOneOrFail(TrainingSchedule, { id: input.scheduleId });
      const rule = schedule.promote!;
      const ref = job.modelVersion!;
      const holder = await em.findOne(ModelAlias, { tenantId: job.tenantId, modelName: ref.name, alias: rule.alias });
      const actor = `schedule:${schedule.name}`;
      // A retry after the alias moved finds its own move (the audit row says from where) and decides the same.
      const ours = holder?.version === ref.version ? await em.findOne(ModelAliasEvent, { tenantId: job.tenantId, modelName: ref.name, alias: rule.alias, toVersion: ref.version, actor }, { orderBy: { at: 'desc' } }) : null;
      const previousVersion = ours ? ours.fromVersion : (holder?.version ?? null);
      const compared = input.comparison;
      let gain: number | null = null;
      let why: string | null = null;
      if (previousVersion !== null && previousVersion !== ref.version) {
        if (!compared || compared.incumbent === null) why = `v${previousVersion} could not be scored on this job's test rows`;
        else if (compared.incumbentVersion !== previousVersion) why = `${rule.alias} moved to v${previousVersion} while this job ran (it was compared with v${compared.incumbentVersion})`;
        else gain = improvement(rule.metric, compared.candidate, compared.incumbent);
      }
      const already = holder?.version === ref.version;
      const promote = already || !holder || (gain !== null && gain >= rule.minImprovement);
      if (promote && !already) {
        await em.transactional(async (tx) => {
          const reason = gain === null ? 'no model held the alias' : `${rule.metric} improved by ${gain}`;
          if (holder) await tx.nativeUpdate(ModelAlias, { tenantId: job.tenantId, modelName: ref.name, alias: rule.alias }, { version: ref.version, updatedBy: actor, updatedAt: new Date() });
          else tx.persist(tx.create(ModelAlias, { tenantId: job.tenantId, modelName: ref.name, alias: rule.alias, version: ref.version, updatedBy: actor, updatedAt: new Date() }));
          tx.persist(tx.create(ModelAliasEvent, { tenantId: job.tenantId, modelName: ref.name, alias: rule.alias, fromVersion: previousVersion, toVersion: ref.version, actor, reason, at: new Date() }));
          await tx.flush();
        });
      }
      if (promote && (!already || ours)) {
        // Once per job whatever retries happen, and delivered to the webhooks that listen.
        const eventId = await new EventStore(em).record(job.tenantId, 'model.promoted', `promoted:${job.id}`, {
          jobId: job.id,
          modelName: ref.name,
          modelVersion: ref.version,
          modelType: job.modelType,
          alias: rule.alias,
          previousVersion,
          actor,
          reason: gain === null ? 'no model held the alias' : `${rule.metric} improved by ${gain}`,
          metrics: metricsWithoutPlots(job.metrics),
          deploymentReady: true,
          performanceImprovement: gain,
        });
        await startDeliveryIfSubscribed(deps, job.tenantId, 'model.promoted', eventId);
      }
      const promotion = { deploymentReady: promote, performanceImprovement: gain, alias: rule.alias, metric: rule.metric, promoted: promote, previousVersion };
      await em.nativeUpdate(TrainingJob, { id: job.id }, { promotion });
      await new JobStore(em).log(job.id, {
        level: 'info',
        stage: 'register',
        message: promote
          ? `promoted ${ref.name} v${ref.version} to ${rule.alias}`
          : `kept ${rule.alias} on v${holder?.version}: ${why ?? `${rule.metric} improved by ${gain} < ${rule.minImprovement}`}`,
        data: promotion,
      });
      return { promoted: promote, performanceImprovement: gain };
    },
  };
}

export type ScheduleActivities = ReturnType<typeof createScheduleActivities>;
