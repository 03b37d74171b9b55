import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { STAGE_PROGRESS, TRIAL_PROGRESS_UPDATE, type StepInput, type StoredObject, type TrialLink, type TrialProgress } from '@trainyard/contracts';
import type { MetricValue } from '@trainyard/db';
import { modelFamily, type FamilyTrainOptions, type FamilyTrainResult, type PreparedData, type RoundEvent } from '@trainyard/ml';
import { objectKeys } from '@trainyard/storage';
import type { ActivityDeps } from '../activity-deps';
import { trainingParams } from './parent-model';
import type { StepContext } from './step-context';
import { threadsPerSlot, withThreads } from './threads';

const CHECKPOINT_EVERY = 25;
const FLUSH_INTERVAL_MS = 1000;
/** A study trial reports its validation loss this often, so the pruner decides on recent rounds, not a second-old one. */
const TRIAL_REPORT_INTERVAL_MS = 200;
const PRUNED_CANCEL_WAIT_MS = 30_000;

export interface TrainedModel extends FamilyTrainResult {
  featureImportanceByName: { feature: string; importance: number }[];
  /** What the engine trained with (an ensemble_update's include the parent's members). */
  params: Record<string, unknown>;
  /** The params as trained: defaults resolved, the thread count injected. */
  effectiveParams: Record<string, unknown>;
  /** Whether this attempt left checkpoints under the job's objects (a short training writes none). */
  checkpointed: boolean;
}

/** The SDK's longest gap between two heartbeats it sends (its throttle), and a margin for the send itself. */
const MAX_HEARTBEAT_THROTTLE_MS = 60_000;
const DEFAULT_HEARTBEAT_THROTTLE_MS = 30_000;
const HEARTBEAT_SEND_MARGIN_MS = 5_000;

interface KeptCheckpoint {
  object: StoredObject;
  /** When it was written, and so first offered to a heartbeat. */
  at: number;
}

/** How long after a heartbeat's details are set the SDK has surely sent them: its throttle interval, plus a margin. */
export function heartbeatSentWithinMs(heartbeatTimeoutMs: number | undefined): number {
  const throttle = heartbeatTimeoutMs ? Math.min(heartbeatTimeoutMs * 0.8, MAX_HEARTBEAT_THROTTLE_MS) : DEFAULT_HEARTBEAT_THROTTLE_MS;
  return throttle + HEARTBEAT_SEND_MARGIN_MS;
}

/**
 * How many of the oldest checkpoints (oldest first) no heartbeat can name any more: a checkpoint is superseded once
 * a newer one has been offered to heartbeats for longer than `sentWithinMs`. The newest is always kept.
 */
export function supersededCheckpoints(kept: readonly { at: number }[], now: number, sentWithinMs: number): number {
  let n = 0;
  while (n + 1 < kept.length && now - kept[n + 1]!.at > sentWithinMs) n++;
  return n;
}

/** What a training heartbeats: the newest checkpoint in the store, which a retry on any machine resumes from. */
interface TrainResumePoint {
  checkpoint?: StoredObject;
  checkpointRound?: number;
}

/**
 * Trains the engine round by round: reports progress, records metric series, checkpoints into the store (the key
 * rides in the heartbeat details), resumes from the last checkpoint on a retry, and stops when cancelled or pruned.
 */
export async function trainModel(deps: ActivityDeps, ctx: StepContext, input: StepInput, prepared: PreparedData, parentModel: Uint8Array | null = null): Promise<TrainedModel> {
  const useCuda = input.device === 'gpu' && deps.gpu.available && !deps.gpu.simulated;
  const startFrom = await resumePoint(ctx);
  if (input.device === 'gpu' && !useCuda) await ctx.log('warn', 'GPU queue served by a simulated GPU; training runs on the CPU');

  let pending: MetricValue[] = [];
  let lastFlush = 0;
  let lastReport = 0;
  // One report in flight at a time, answered while training goes on; a "pruned" answer stops the next round.
  let reporting = false;
  let pruned = false;
  const kept: KeptCheckpoint[] = [];
  let lastCheckpointRound = 0;
  let lastCheckpointAt = Date.now();
  const span = STAGE_PROGRESS.evaluate - STAGE_PROGRESS.train;
  const family = modelFamily(input.spec.model.type);
  const params = trainingParams(input.spec, parentModel);
  const threaded = withThreads(family, params, threadsPerSlot(deps.config.cpuSlots));
  const effectiveParams = family.resolvedParams(threaded, { hasValidation: (prepared.validation?.rows ?? 0) > 0 });
  await ctx.jobs.setEffectiveParams(input.jobId, effectiveParams);
  const trained = await family.train({
    task: prepared.task,
    numClasses: prepared.classLabels?.length ?? 0,
    train: prepared.train,
    validation: prepared.validation,
    params: threaded,
    ...onParent(input, parentModel),
    device: useCuda ? 'gpu' : 'cpu',
    watchMetric: input.trial?.objective?.metric,
    startFrom,
    checkpointEvery: CHECKPOINT_EVERY,
    // A short training is cheaper to redo than to checkpoint: the first one comes after checkpointSeconds.
    checkpointDue: () => Date.now() - lastCheckpointAt >= deps.config.checkpointSeconds * 1000,
    onCheckpoint: async (model, round) => {
      lastCheckpointAt = Date.now();
      const checkpoint = await ctx.storage.putBytes(objectKeys.job(input.jobId, `checkpoint-${round}`), model);
      ctx.progress({ checkpoint, checkpointRound: round } satisfies TrainResumePoint);
      kept.push({ object: checkpoint, at: Date.now() });
      lastCheckpointRound = round;
      // Delete only what no heartbeat the server holds can name: the SDK sends details at most once per throttle
      // interval, so the last one sent may name a checkpoint several back from this one.
      const sentWithinMs = heartbeatSentWithinMs(Context.current().info.heartbeatTimeoutMs);
      for (const old of kept.splice(0, supersededCheckpoints(kept, Date.now(), sentWithinMs))) await ctx.storage.delete(old.object.key);
    },
    onRound: async (e) => {
      for (const [name, value] of Object.entries(e.train)) pending.push({ name: `train.${name}`, step: e.round, value });
      for (const [name, value] of Object.entries(e.validation ?? {})) pending.push({ name: `validation.${name}`, step: e.round, value });
      ctx.progress({ round: e.round, totalRounds: e.totalRounds });
      if (Date.now() - lastFlush >= FLUSH_INTERVAL_MS || e.round >= e.totalRounds) {
        const points = pending;
        pending = [];
        lastFlush = Date.now();
        await ctx.jobs.recordMetrics(input.jobId, points);
        await ctx.jobs.setProgress(input.jobId, STAGE_PROGRESS.train + (span * e.round) / e.totalRounds);
      }
      // Only a study with a pruner hears from its trials (each report is a turn of its workflow); the last round
      // is not reported: a trial that has finished training completes, since pruning it then would only throw the work away.
      if (input.trial?.objective && !reporting && e.round < e.totalRounds && Date.now() - lastReport >= TRIAL_REPORT_INTERVAL_MS) {
        lastReport = Date.now();
        reporting = true;
        void reportTrialProgress(deps, input.trial, e).then((stop) => {
          pruned ||= stop;
          reporting = false;
        });
      }
      return pruned || ctx.cancelled.aborted ? 'stop' : 'continue';
    },
  });
  await ctx.jobs.recordMetrics(input.jobId, pending);
  // A pruned trial stops training at once; the job ends as cancelled when the study's cancellation arrives.
  if (pruned && trained.cancelled) await awaitCancellation(ctx, PRUNED_CANCEL_WAIT_MS);
  if (trained.cancelled) {
    // Temporal says why it cancelled the attempt: only CANCELLED (a cancelled job, a pruned trial) ends the job; a
    // stopping worker or a timed-out attempt hands the step back, to be retried from the last checkpoint.
    const why = ctx.cancelled.reason instanceof CancelledFailure ? ctx.cancelled.reason.message : 'CANCELLED';
    if (why === 'WORKER_SHUTDOWN' || why === 'TIMED_OUT') {
      const checkpointed = lastCheckpointRound || ((ctx.resumeFrom as TrainResumePoint | null)?.checkpointRound ?? 0);
      const resume = checkpointed ? `from the checkpoint at round ${checkpointed}` : 'from the start';
      const cause = why === 'WORKER_SHUTDOWN' ? 'the worker is shutting down' : 'this attempt timed out';
      await ctx.log('warn', `training stopped at round ${trained.rounds}: ${cause}; the step will be retried on another worker, resuming ${resume}`);
      throw new CancelledFailure(why);
    }
    await ctx.log('warn', `training stopped at round ${trained.rounds}: job cancelled`);
    throw new CancelledFailure('training cancelled');
  }
  await ctx.log('info', `trained ${trained.rounds} rounds${trained.stoppedEarly ? ` (early stop, best round ${trained.bestRound})` : ''}`, {
    engine: trained.engine,
    engineVersion: trained.engineVersion,
  });
  const featureImportanceByName = prepared.featureNames
    .map((feature, i) => ({ feature, importance: trained.featureImportance[i] ?? 0 }))
    .sort((a, b) => b.importance - a.importance);
  return { ...trained, featureImportanceByName, params, effectiveParams, checkpointed: kept.length > 0 };
}

/** The mode, parent model and frozen layers of a run that builds on a parent; nothing for a full run. */
export function onParent(input: StepInput, parentModel: Uint8Array | null): Pick<FamilyTrainOptions, 'mode' | 'initModel' | 'freezeLayers'> {
  if (!parentModel || !input.spec.mode || input.spec.mode === 'full') return {};
  return { mode: input.spec.mode, initModel: parentModel, freezeLayers: input.spec.freezeLayers ?? 0 };
}

/** The checkpoint an earlier attempt heartbeated, fetched from the store; a missing or damaged one means starting over. */
async function resumePoint(ctx: StepContext): Promise<Uint8Array | null> {
  const point = ctx.resumeFrom as TrainResumePoint | null;
  if (!point?.checkpoint) return null;
  try {
    const bytes = await ctx.storage.readBytes(point.checkpoint);
    await ctx.log('info', `resuming training from the last checkpoint (round ${point.checkpointRound})`);
    return bytes;
  } catch (err) {
    await ctx.log('warn', `the last checkpoint could not be read (${err instanceof Error ? err.message : String(err)}); training starts over`);
    return null;
  }
}

/**
 * Sends a study trial's latest validation loss to its study; resolves true when the study's pruner has stopped the
 * trial (the study cancels it too, but that reaches this activity only with a heartbeat).
 */
async function reportTrialProgress(deps: ActivityDeps, trial: TrialLink, e: RoundEvent): Promise<boolean> {
  const progress = trialProgress(trial, e);
  if (!progress) return false;
  return deps.temporal.workflow
    .getHandle(trial.studyWorkflowId)
    .executeUpdate<boolean, [TrialProgress]>(TRIAL_PROGRESS_UPDATE, { args: [progress] })
    .catch(() => false); // a finished, cancelled or continuing-as-new study does not answer
}

/** A round's report to the study: the objective metric on validation rows where the engine computed it, else the first loss. */
export function trialProgress(trial: TrialLink, e: RoundEvent): TrialProgress | null {
  const objective = trial.objective;
  const watched = objective ? e.validation?.[objective.metric] : undefined;
  if (objective && typeof watched === 'number' && Number.isFinite(watched)) {
    return { number: trial.number, step: e.round, value: watched, direction: objective.direction };
  }
  const value = e.validation ? Object.values(e.validation)[0] : Object.values(e.train)[0];
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return { number: trial.number, step: e.round, value };
}

/** Heartbeats until the activity's cancellation arrives (it comes only in a heartbeat's answer), or `ms` at most. */
async function awaitCancellation(ctx: StepContext, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ctx.cancelled.aborted && Date.now() < deadline) {
    ctx.progress();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
