import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Stage } from '@trainyard/contracts';
import { JobStore } from '@trainyard/db';
import { StorageUnavailableError, type Storage } from '@trainyard/storage';
import type { ActivityDeps } from '../activity-deps';
import { toFailure } from '../to-failure';

/** Progress at the start of each stage; training fills the span up to the next one. */
export const STAGE_PROGRESS: Record<Stage, number> = {
  load_features: 0.02,
  preprocess: 0.08,
  train: 0.12,
  evaluate: 0.88,
  register: 0.96,
};

const HEARTBEAT_MS = 3000;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface StepContext {
  jobId: string;
  jobs: JobStore;
  storage: Storage;
  stage: Stage;
  /** Aborted when Temporal cancels the activity (it learns of it with a heartbeat's answer). */
  cancelled: AbortSignal;
  /** The details the previous attempt last heartbeated (a checkpoint to resume from), if any. */
  resumeFrom: Record<string, unknown> | null;
  /**
   * Says the step advanced; `details` (e.g. a checkpoint) are merged into what every later heartbeat carries, so a
   * retry on any machine resumes from them. Heartbeats stop when no progress comes for `stallMs`: Temporal then
   * times the attempt out and retries it, so a hung step is caught as well as a dead worker.
   */
  progress(details?: Record<string, unknown>): void;
  /** Moves the job into the next stage of a step that runs several (the fused pipeline). */
  enter(stage: Stage): Promise<void>;
  log(level: LogLevel, message: string, data?: Record<string, unknown>): Promise<void>;
}

/**
 * Runs one activity of the pipeline: marks the job as in `stage` (a job that is already terminal is left alone),
 * gives the step a store bound to its own EntityManager fork, keeps heartbeats going while it makes progress, and
 * turns named ML failures into job failures.
 */
export async function runStep<T>(
  deps: ActivityDeps,
  input: { jobId: string; device: 'cpu' | 'gpu' },
  stage: Stage,
  body: (ctx: StepContext) => Promise<T>,
): Promise<T> {
  const jobs = new JobStore(deps.orm.em.fork());
  await jobs.enterStage(input.jobId, stage, STAGE_PROGRESS[stage], input.device);
  const activity = Context.current();
  const previous = activity.info.heartbeatDetails as Record<string, unknown> | undefined;
  let details: Record<string, unknown> = { stage };
  let lastProgress = Date.now();
  let stalledLogged = false;
  const stallMs = deps.config.stepStallSeconds * 1000;

  const ctx: StepContext = {
    jobId: input.jobId,
    jobs,
    storage: deps.storage,
    stage,
    cancelled: activity.cancellationSignal,
    resumeFrom: previous && typeof previous === 'object' ? previous : null,
    progress(next) {
      lastProgress = Date.now();
      if (next) details = { ...details, ...next };
      activity.heartbeat(details);
    },
    async enter(next) {
      ctx.stage = next;
      details = { ...details, stage: next };
      await jobs.enterStage(input.jobId, next, STAGE_PROGRESS[next], input.device);
      ctx.progress();
    },
    log: (level, message, data) => jobs.log(input.jobId, { level, stage: ctx.stage, message, data }),
  };
  const keepAlive = setInterval(() => {
    if (Date.now() - lastProgress < stallMs) {
      activity.heartbeat(details);
      return;
    }
    if (stalledLogged) return;
    stalledLogged = true;
    const message = `${ctx.stage} made no progress for ${Math.round(stallMs / 1000)} s; this attempt will time out and be retried`;
    void ctx.log('warn', message).catch(() => undefined);
  }, HEARTBEAT_MS);
  const { attempt } = activity.info;
  if (attempt > 1) await ctx.log('warn', `retrying ${stage} (attempt ${attempt})`);
  try {
    return await whileStoreIsDown(ctx, deps.config.storeWaitSeconds * 1000, () => body(ctx));
  } catch (err) {
    const failure = toFailure(err);
    // In a fused pipeline the workflow cannot tell the stage: an unnamed failure while training is named here.
    if (ctx.stage === 'train' && !(failure instanceof ApplicationFailure) && !(failure instanceof CancelledFailure)) {
      throw ApplicationFailure.create({ type: 'TRAINING_FAILED', message: failure instanceof Error ? failure.message : String(failure), cause: failure instanceof Error ? failure : undefined });
    }
    throw failure;
  } finally {
    clearInterval(keepAlive);
  }
}

/**
 * Runs the step again (steps are idempotent) while the object store is unreachable, for up to `waitMs`, saying so
 * in the job's log once: an outage keeps the job running and waiting, instead of spending its retries.
 */
async function whileStoreIsDown<T>(ctx: StepContext, waitMs: number, run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + waitMs;
  let delay = 1000;
  let told = false;
  for (;;) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof StorageUnavailableError) || Date.now() + delay > deadline || ctx.cancelled.aborted) throw err;
      if (!told) {
        told = true;
        await ctx.log('warn', `waiting for the object store: ${err.message}`).catch(() => undefined);
      }
      ctx.progress();
      await Context.current().sleep(delay);
      delay = Math.min(delay * 2, 30_000);
    }
  }
}
