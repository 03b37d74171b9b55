import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { STAGE_PROGRESS, type Stage } from '@trainyard/contracts';
import { JobStore } from '@trainyard/db';
import { StorageUnavailableError, type Storage } from '@trainyard/storage';
import type { ActivityDeps } from '../activity-deps';
import { toFailure } from '../to-failure';

const HEARTBEAT_MS = 3000;
/**
 * Progress that only moves a counter (a boosting round) heartbeats at most this often. The SDK throttles what it
 * sends anyway, but each call converts the details and crosses into its native core: a training reporting every
 * round paid that a hundred times a second, on the thread that also runs the worker.
 */
const COUNTER_HEARTBEAT_MS = 1000;
/** Details that only count: a retry does not need them, so they need not reach a heartbeat at once. */
const COUNTER_DETAILS = new Set(['round', 'totalRounds']);

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What a step that moves data needs: the store, and a way to say it advanced. */
export interface DataContext {
  storage: Storage;
  /** Aborted when Temporal cancels the activity (it learns of it with a heartbeat's answer). */
  cancelled: AbortSignal;
  /** The details the previous attempt last heartbeated (a checkpoint to resume from), if any. */
  resumeFrom: Record<string, unknown> | null;
  /**
   * Says the step advanced; `details` (e.g. a checkpoint) are merged into what every later heartbeat carries, so a
   * retry on any machine resumes from them. Heartbeats stop when no progress comes for the configured stall time:
   * Temporal then times the attempt out and retries it, so a hung step is caught as well as a dead worker.
   */
  progress(details?: Record<string, unknown>): void;
}

/** What a step writes to its job's record: a JobStore, or a spec's fake that remembers each call. */
export type JobRecorder = Pick<JobStore, keyof JobStore>;

/** A step of one job: the data context plus the job's record. */
export interface StepContext extends DataContext {
  jobId: string;
  jobs: JobRecorder;
  stage: Stage;
  /** Moves the job into the next stage of a step that runs several (the fused pipeline). */
  enter(stage: Stage): Promise<void>;
  log(level: LogLevel, message: string, data?: Record<string, unknown>): Promise<void>;
}

/**
 * Runs an activity's body with heartbeats that follow its progress, waiting out a store outage (the body runs
 * again: steps are idempotent) for up to storeWaitSeconds, saying so once through `warn`.
 */
export async function withProgress<T>(
  deps: ActivityDeps,
  first: Record<string, unknown>,
  body: (ctx: DataContext) => Promise<T>,
  warn: (message: string) => Promise<void>,
): Promise<T> {
  const activity = Context.current();
  const previous = activity.info.heartbeatDetails as Record<string, unknown> | undefined;
  let details = first;
  let lastProgress = Date.now();
  // The attempt's start counts as a beat: a short step that only counts rounds sends none (its result says enough).
  let lastBeat = Date.now();
  const beat = () => {
    lastBeat = Date.now();
    activity.heartbeat(details);
  };
  let stalledSaid = false;
  const stallMs = deps.config.stepStallSeconds * 1000;
  const ctx: DataContext = {
    storage: deps.storage,
    cancelled: activity.cancellationSignal,
    resumeFrom: previous && typeof previous === 'object' ? previous : null,
    progress(next) {
      lastProgress = Date.now();
      if (next) details = { ...details, ...next };
      const countsOnly = next !== undefined && Object.keys(next).every((key) => COUNTER_DETAILS.has(key));
      if (!countsOnly || lastProgress - lastBeat >= COUNTER_HEARTBEAT_MS) beat();
    },
  };
  const keepAlive = setInterval(() => {
    if (Date.now() - lastProgress < stallMs) {
      beat();
      return;
    }
    if (stalledSaid) return;
    stalledSaid = true;
    void warn(`no progress for ${Math.round(stallMs / 1000)} s; this attempt will time out and be retried`).catch(() => undefined);
  }, HEARTBEAT_MS);
  try {
    return await whileStoreIsDown(ctx, deps.config.storeWaitSeconds * 1000, () => body(ctx), warn);
  } finally {
    clearInterval(keepAlive);
  }
}

/** The job a step works for and the device it was placed on. */
type StepTarget = { jobId: string; device: 'cpu' | 'gpu' };

/**
 * Runs one activity of a job's pipeline: marks the job as in `stage` (a job that is already terminal is left
 * alone), gives the step a store bound to its own EntityManager fork, and turns named ML failures into job failures.
 */
export async function runStep<T>(deps: ActivityDeps, input: StepTarget, stage: Stage, body: (ctx: StepContext) => Promise<T>): Promise<T> {
  return runJobStep(deps, new JobStore(deps.orm.em.fork()), input, stage, body);
}

/** runStep with the job's record handed in (a spec's fake, say) rather than opened on the database. */
export async function runJobStep<T>(
  deps: ActivityDeps,
  jobs: JobRecorder,
  input: StepTarget,
  stage: Stage,
  body: (ctx: StepContext) => Promise<T>,
): Promise<T> {
  await jobs.enterStage(input.jobId, stage, STAGE_PROGRESS[stage], input.device);
  let current: Stage = stage;
  const log = (level: LogLevel, message: string, data?: Record<string, unknown>) => jobs.log(input.jobId, { level, stage: current, message, data });
  const { attempt, heartbeatDetails } = Context.current().info;
  // A fused pipeline's retry resumes at the stage the last attempt reached: that is the stage it retries.
  const reached = (heartbeatDetails as { stage?: Stage } | undefined)?.stage ?? stage;
  if (attempt > 1) await log('warn', `retrying ${reached} (attempt ${attempt})`);
  try {
    return await withProgress(
      deps,
      { stage },
      (data) => {
        const ctx: StepContext = {
          ...data,
          jobId: input.jobId,
          jobs,
          get stage() {
            return current;
          },
          set stage(next: Stage) {
            current = next;
          },
          async enter(next) {
            current = next;
            await jobs.enterStage(input.jobId, next, STAGE_PROGRESS[next], input.device);
            data.progress({ stage: next });
          },
          log,
        };
        return body(ctx);
      },
      (message) => log('warn', `${current}: ${message}`),
    );
  } catch (err) {
    const failure = toFailure(err);
    // In a fused pipeline the workflow cannot tell the stage: an unnamed failure while training is named here.
    if (current === 'train' && !(failure instanceof ApplicationFailure) && !(failure instanceof CancelledFailure)) {
      throw ApplicationFailure.create({ type: 'TRAINING_FAILED', message: failure instanceof Error ? failure.message : String(failure), cause: failure instanceof Error ? failure : undefined });
    }
    throw failure;
  }
}

/** Runs `run` again while the object store is unreachable, for up to `waitMs`; an outage keeps the step waiting. */
async function whileStoreIsDown<T>(ctx: DataContext, waitMs: number, run: () => Promise<T>, warn: (message: string) => Promise<void>): Promise<T> {
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
        await warn(`waiting for the object store: ${err.message}`).catch(() => undefined);
      }
      ctx.progress();
      await Context.current().sleep(delay);
      delay = Math.min(delay * 2, 30_000);
    }
  }
}
