import { GPU_QUEUE, computeQueue, queueName, type Device, type FinalizeJobInput, type PipelineMode, type ResolveDeviceInput, type ResolveDeviceResult } from '@trainyard/contracts';
import { EventStore, JobStore, TrainingJob, type LogEntry } from '@trainyard/db';
import type { CvSummary } from '@trainyard/ml';
import { objectKeys } from '@trainyard/storage';
import type { ActivityDeps } from './activity-deps';
import { recordFolds, type FoldResult } from './pipeline/cross-validate';

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

  /**
   * Fused unless the job asks otherwise, trains on a GPU (whose scarce slot should not sit through parsing and
   * preprocessing), or its dataset is larger than the configured bound.
   */
  async function pipelineFor(input: ResolveDeviceInput, device: Device): Promise<PipelineMode> {
    if (input.pipeline === 'fused' || input.pipeline === 'staged') return input.pipeline;
    if (device === 'gpu') return 'staged';
    const rows = await deps.orm.em.getConnection().execute<{ size_bytes: string }[]>(
      `select d.size_bytes from training_jobs j join datasets d on d.id = j.dataset_id where j.id = ?`,
      [input.jobId],
    );
    return Number(rows[0]?.size_bytes ?? 0) > deps.config.fuseMaxBytes ? 'staged' : 'fused';
  }

  /** Chooses the compute queue: a GPU only where a live GPU worker advertises one. */
  async function chooseDevice(input: ResolveDeviceInput): Promise<Omit<ResolveDeviceResult, 'pipeline'>> {
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
  }

  return {
    /** Where the job trains, and whether its steps run in one activity or one each. */
    async placeJob(input: ResolveDeviceInput): Promise<ResolveDeviceResult> {
      const placed = await chooseDevice(input);
      return { ...placed, pipeline: await pipelineFor(input, placed.device) };
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
      const jobs = new JobStore(em);
      const changed = await jobs.finalize(input.jobId, input);
      if (changed) await jobs.log(input.jobId, outcomeLog(input));
      // What the steps handed each other is no longer needed; the model version keeps its own objects. An
      // unreachable store must not hold the outcome back: retention removes what is left here.
      if (!deps.config.keepJobObjects) await deps.storage.deletePrefix(objectKeys.jobPrefix(input.jobId)).catch((err: unknown) =>
        jobs.log(input.jobId, { level: 'warn', message: `could not delete the job's intermediate objects yet: ${err instanceof Error ? err.message : String(err)}` }),
      );
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
