import type { FinalizeJobInput, ResolveDeviceInput, ResolveDeviceResult } from '@trainyard/contracts';
import { EventStore, JobStore, TrainingJob, type LogEntry } from '@trainyard/db';
import type { CvSummary } from '@trainyard/ml';
import { objectKeys } from '@trainyard/storage';
import type { ActivityDeps } from './activity-deps';
import { recordFolds, type FoldResult } from './pipeline/cross-validate';
import { hasSubscribers, trainingEventData } from './events';
import { chooseDevice, choosePipeline, datasetBytes } from './placement';

/** Bookkeeping activities, served on the control queue so they run even while every compute slot is busy. */
export function createControlActivities(deps: ActivityDeps) {
  const store = () => new JobStore(deps.orm.em.fork());

  return {
    /** Where the job trains, and whether its steps run in one activity or one each. */
    async placeJob(input: ResolveDeviceInput): Promise<ResolveDeviceResult> {
      const jobs = store();
      // The model family is the job's own: its row knows it, so the workflow's input need not change.
      const { modelType } = await deps.orm.em.fork().findOneOrFail(TrainingJob, { id: input.jobId }, { fields: ['modelType'] });
      const placed = await chooseDevice(deps, { ...input, modelTypes: [modelType] }, (level, message) => jobs.log(input.jobId, { level, message }));
      return { ...placed, pipeline: await choosePipeline(input.pipeline, placed, deps.config.fuseMaxBytes, () => datasetBytes(deps, input.jobId)) };
    },

    /** Stores the mean and spread of each metric across the cross-validation folds. */
    async recordCrossValidation(input: { jobId: string; folds: FoldResult[] }): Promise<CvSummary> {
      return recordFolds(store(), input.jobId, input.folds);
    },

    /**
     * Records the job's outcome (the first outcome recorded wins, so a retry or the reconciler cannot overwrite it)
     * and the matching training.completed / training.failed event; returns the event's id for delivery.
     */
    async finalizeJob(input: FinalizeJobInput): Promise<{ eventId: string | null }> {
      const em = deps.orm.em.fork();
      // The outcome, its log line and its event commit together: whoever sees the job ended finds its event too.
      const event = await em.transactional(async (tx) => {
        const jobs = new JobStore(tx);
        if (await jobs.finalize(input.jobId, input)) await jobs.log(input.jobId, outcomeLog(input));
        const job = await tx.findOneOrFail(TrainingJob, { id: input.jobId }, { refresh: true });
        if (job.status !== 'completed' && job.status !== 'failed' && job.status !== 'cancelled') return null;
        const type = `training.${job.status}` as const;
        return { type, tenantId: job.tenantId, id: await new EventStore(tx).record(job.tenantId, type, `training:${job.id}`, trainingEventData(job)) };
      });
      // What the steps handed each other is no longer needed; the model version keeps its own objects. An
      // unreachable store must not hold the outcome back: retention removes what is left here.
      if (!deps.config.keepJobObjects) await deps.storage.deletePrefix(objectKeys.jobPrefix(input.jobId)).catch((err: unknown) =>
        new JobStore(em).log(input.jobId, { level: 'warn', message: `could not delete the job's intermediate objects yet: ${err instanceof Error ? err.message : String(err)}` }),
      );
      if (!event) return { eventId: null };
      // Recorded for GET /v1/events either way; a delivery workflow only where a webhook listens.
      return { eventId: (await hasSubscribers(deps, event.tenantId, event.type)) ? event.id : null };
    },
  };
}

export type ControlActivities = ReturnType<typeof createControlActivities>;

function outcomeLog(input: FinalizeJobInput): LogEntry {
  const message =
    input.status === 'completed'
      ? `job completed: ${input.modelVersion ? `${input.modelVersion.name} v${input.modelVersion.version}` : 'no model version'}`
      : input.status === 'cancelled'
        ? 'job cancelled'
        : `job failed: ${input.error?.code}: ${input.error?.message}`;
  return { level: input.status === 'failed' ? 'error' : 'info', message, data: input.error ? { ...input.error } : undefined };
}
