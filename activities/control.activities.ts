import { GPU_QUEUE, computeQueue, queueName, type Device, type FinalizeJobInput, type ResolveDeviceInput, type ResolveDeviceResult } from '@trainyard/contracts';
import { EventStore, JobStore, TrainingJob, type LogEntry } from '@trainyard/db';
import { summarizeFolds, type CvSummary, type FoldTimeWindow } from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';

export const LIVE_WINDOW_SECONDS = 20;

/** Bookkeeping activities, served on the control queue so they run even while every compute slot is busy. */
export function createControlActivities(deps: ActivityDeps) {
  const store = () => new JobStore(deps.orm.em.fork());

  /** A worker counts as live while its presence heartbeat is recent. */
  async function isLive(device: Device, prefix: string): Promise<boolean> {
    const rows = await deps.orm.em.getConnection().execute(
      `select 1 from worker_heartbeats where task_queue = ? and last_seen_at > now() - make_interval(secs => ?) limit 1`,
      [computeQueue(device, prefix), LIVE_WINDOW_SECONDS],
    );
    return rows.length > 0;
  }

  return {
    /** Chooses the compute queue: a GPU only where a live GPU worker advertises one. */
    async placeJob(input: ResolveDeviceInput): Promise<ResolveDeviceResult> {
      const jobs = store();
      const gpuQueue = queueName(GPU_QUEUE, input.queuePrefix);
      const wantsGpu = input.device === 'gpu' || input.requireGpu;
      if (input.device === 'cpu' && !input.requireGpu) {
        return { device: 'cpu', available: await isLive('cpu', input.queuePrefix), reason: 'cpu requested' };
      }
      if (await isLive('gpu', input.queuePrefix)) {
        await jobs.log(input.jobId, { level: 'info', message: `placed on the GPU queue ${gpuQueue}` });
        return { device: 'gpu', available: true, reason: 'a GPU worker is live' };
      }
      if (input.requireGpu) {
        const reason = `waiting for a GPU worker: requireGpu is set and no live worker serves ${gpuQueue}`;
        await jobs.log(input.jobId, { level: 'warn', message: reason });
        return { device: 'gpu', available: false, reason };
      }
      if (wantsGpu) {
        const reason = `no live GPU worker serves ${gpuQueue}; falling back to CPU`;
        await jobs.log(input.jobId, { level: 'warn', message: reason });
        return { device: 'cpu', available: await isLive('cpu', input.queuePrefix), reason };
      }
      return { device: 'cpu', available: await isLive('cpu', input.queuePrefix), reason: 'no live GPU worker' };
    },

    /** Stores the mean and spread of each metric across the cross-validation folds. */
    async recordCrossValidation(input: { jobId: string; folds: { fold: number; metrics: Record<string, unknown>; window?: FoldTimeWindow }[] }): Promise<CvSummary> {
      const jobs = store();
      const folds = [...input.folds].sort((a, b) => a.fold - b.fold);
      const summary = summarizeFolds(folds.map((f) => f.metrics));
      if (folds.every((f) => f.window)) summary.timeWindows = folds.map((f) => f.window!);
      await jobs.setResults(input.jobId, { cvMetrics: summary });
      await jobs.log(input.jobId, { level: 'info', stage: 'train', message: `cross-validation over ${summary.folds} folds`, data: { mean: summary.mean, std: summary.std } });
      return summary;
    },

    /**
     * Records the job's outcome (the first outcome recorded wins, so a retry or the reconciler cannot overwrite it)
     * and the matching training.completed / training.failed event; returns the event's id for delivery.
     */
    async finalizeJob(input: FinalizeJobInput): Promise<{ eventId: string | null }> {
      const em = deps.orm.em.fork();
      const jobs = new JobStore(em);
      const changed = await jobs.finalize(input.jobId, input);
      if (changed) await jobs.log(input.jobId, outcomeLog(input));
      const job = await em.findOneOrFail(TrainingJob, { id: input.jobId });
      if (job.status !== 'completed' && job.status !== 'failed') return { eventId: null };
      const eventId = await new EventStore(em).record(job.tenantId, `training.${job.status}`, `training:${job.id}`, trainingEventData(job));
      return { eventId };
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

/** The payload API.md gives for training events. */
export function trainingEventData(job: TrainingJob): Record<string, unknown> {
  return {
    jobId: job.id,
    modelName: job.modelVersion?.name ?? job.name,
    modelVersion: job.modelVersion?.version ?? null,
    modelType: job.modelType,
    durationSeconds: job.startedAt && job.completedAt ? (job.completedAt.getTime() - job.startedAt.getTime()) / 1000 : null,
    metrics: job.metrics,
    error: job.error,
    deploymentReady: job.status === 'completed',
    performanceImprovement: null,
  };
}
