import { Context } from '@temporalio/activity';
import type { Stage } from '@trainyard/contracts';
import { JobStore } from '@trainyard/db';
import type { ActivityDeps } from './activity-deps';
import { toFailure } from './to-failure';

/** Progress at the start of each stage; training fills the span up to the next one. */
export const STAGE_PROGRESS: Record<Stage, number> = {
  load_features: 0.02,
  preprocess: 0.08,
  train: 0.12,
  evaluate: 0.88,
  register: 0.96,
};

const HEARTBEAT_MS = 3000;

export interface StepContext {
  jobs: JobStore;
  /** Heartbeats now with `details` (the resume point); the step keeps re-sending the latest details while it runs. */
  heartbeat(details?: Record<string, unknown>): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>): Promise<void>;
}

/**
 * Runs one pipeline step: marks the job as in `stage` (a job that is already terminal is left alone),
 * gives the step a store bound to its own EntityManager fork, and turns named ML failures into job failures.
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
  let details: Record<string, unknown> | undefined;
  const ctx: StepContext = {
    jobs,
    heartbeat(next) {
      details = next ?? details;
      activity.heartbeat(details);
    },
    log: (level, message, data) => jobs.log(input.jobId, { level, stage, message, data }),
  };
  // Steps that read or write large files have no natural place to heartbeat; this keeps them alive.
  const keepAlive = setInterval(() => activity.heartbeat(details), HEARTBEAT_MS);
  const { attempt } = activity.info;
  if (attempt > 1) await ctx.log('warn', `retrying ${stage} (attempt ${attempt})`);
  try {
    return await body(ctx);
  } catch (err) {
    throw toFailure(err);
  } finally {
    clearInterval(keepAlive);
  }
}
