import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import { TRIAL_PROGRESS_UPDATE, type PreprocessResult, type StepInput, type TrainResult, type TrialLink, type TrialProgress } from '@trainyard/contracts';
import type { MetricValue } from '@trainyard/db';
import { loadPrepared, modelFamily, type ModelFamily, type RoundEvent } from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { STAGE_PROGRESS, runStep } from './job-context';
import { dataPath, jobDir, readStepResult, writeFileAtomic, writeStepResult } from './job-files';

const STEP = 'train';
const CHECKPOINT_EVERY = 25;
const FLUSH_INTERVAL_MS = 1000;
/** A study trial reports its validation loss this often, so the pruner decides on recent rounds, not a second-old one. */
const TRIAL_REPORT_INTERVAL_MS = 200;
const PRUNED_CANCEL_WAIT_MS = 30_000;

/** Concurrent jobs on one worker split its cores: OpenMP threads that outnumber cores spin against each other. */
export function threadsPerSlot(slots: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, slots)));
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
function trialProgress(trial: TrialLink, e: RoundEvent): TrialProgress | null {
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
async function awaitCancellation(activity: Context, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!activity.cancellationSignal.aborted && Date.now() < deadline) {
    activity.heartbeat();
    await activity.sleep(100).catch(() => undefined); // rejects once cancelled
  }
}

/** Sets the engine's thread count where the family has one and the job did not choose it. */
export function withThreads(family: ModelFamily, params: Record<string, unknown>, threads: number): Record<string, unknown> {
  if ('nthread' in params || family.validateParams({ nthread: threads }).length > 0) return params;
  return { nthread: threads, ...params };
}

/** Trains the engine round by round: heartbeats progress, records metric series, checkpoints, and stops when cancelled. */
export function createTrain(deps: ActivityDeps) {
  return async function train(input: StepInput & { prepared: PreprocessResult }): Promise<TrainResult> {
    return runStep(deps, input, 'train', async (ctx) => {
      const done = await readStepResult<TrainResult>(deps.config.dataDir, input.jobId, STEP);
      if (done) return done;

      const activity = Context.current();
      const prepared = await loadPrepared(dataPath(deps.config.dataDir, input.prepared.preparedPath));
      const checkpointPath = join(jobDir(input.jobId), 'checkpoint.json');
      const checkpointFile = dataPath(deps.config.dataDir, checkpointPath);
      const startFrom = await readFile(checkpointFile).catch(() => null);
      const useCuda = input.device === 'gpu' && deps.gpu.available && !deps.gpu.simulated;
      if (startFrom) await ctx.log('info', 'resuming training from the last checkpoint');
      if (input.device === 'gpu' && !useCuda) await ctx.log('warn', 'GPU queue served by a simulated GPU; training runs on the CPU');

      let pending: MetricValue[] = [];
      let lastFlush = 0;
      let lastReport = 0;
      // One report in flight at a time, answered while training goes on; a "pruned" answer stops the next round.
      let reporting = false;
      let pruned = false;
      const span = STAGE_PROGRESS.evaluate - STAGE_PROGRESS.train;
      const family = modelFamily(input.spec.model.type);
      const trained = await family.train({
        task: prepared.task,
        numClasses: prepared.classLabels?.length ?? 0,
        train: prepared.train,
        validation: prepared.validation,
        params: withThreads(family, input.spec.model.params, threadsPerSlot(deps.config.cpuSlots)),
        device: useCuda ? 'gpu' : 'cpu',
        watchMetric: input.trial?.objective?.metric,
        startFrom,
        checkpointEvery: CHECKPOINT_EVERY,
        onCheckpoint: async (model, round) => {
          await writeFileAtomic(checkpointFile, model);
          ctx.heartbeat({ round, checkpoint: checkpointPath, checkpointRound: round });
        },
        onRound: async (e) => {
          for (const [name, value] of Object.entries(e.train)) pending.push({ name: `train.${name}`, step: e.round, value });
          for (const [name, value] of Object.entries(e.validation ?? {})) pending.push({ name: `validation.${name}`, step: e.round, value });
          ctx.heartbeat({ round: e.round, totalRounds: e.totalRounds, checkpoint: checkpointPath });
          if (Date.now() - lastFlush >= FLUSH_INTERVAL_MS || e.round >= e.totalRounds) {
            const points = pending;
            pending = [];
            lastFlush = Date.now();
            await ctx.jobs.recordMetrics(input.jobId, points);
            await ctx.jobs.setProgress(input.jobId, STAGE_PROGRESS.train + (span * e.round) / e.totalRounds);
          }
          // The last round is not reported: a trial that has finished training completes, since pruning it then
          // would only throw the work away.
          if (input.trial && !reporting && e.round < e.totalRounds && Date.now() - lastReport >= TRIAL_REPORT_INTERVAL_MS) {
            lastReport = Date.now();
            reporting = true;
            void reportTrialProgress(deps, input.trial, e).then((stop) => {
              pruned ||= stop;
              reporting = false;
            });
          }
          return pruned || activity.cancellationSignal.aborted ? 'stop' : 'continue';
        },
      });
      await ctx.jobs.recordMetrics(input.jobId, pending);
      // A pruned trial stops training at once; the job ends as cancelled when the study's cancellation arrives.
      if (pruned && trained.cancelled) await awaitCancellation(activity, PRUNED_CANCEL_WAIT_MS);
      if (trained.cancelled) {
        await ctx.log('warn', `training stopped at round ${trained.rounds}: job cancelled`);
        throw new CancelledFailure('training cancelled');
      }

      const modelPath = join(jobDir(input.jobId), 'model.bin');
      await writeFileAtomic(dataPath(deps.config.dataDir, modelPath), trained.model);
      const result: TrainResult = {
        modelPath,
        rounds: trained.rounds,
        engine: trained.engine,
        engineVersion: trained.engineVersion,
        featureImportance: prepared.featureNames
          .map((feature, i) => ({ feature, importance: trained.featureImportance[i] ?? 0 }))
          .sort((a, b) => b.importance - a.importance),
      };
      await ctx.log('info', `trained ${trained.rounds} rounds${trained.stoppedEarly ? ` (early stop, best round ${trained.bestRound})` : ''}`, {
        engine: trained.engine,
        engineVersion: trained.engineVersion,
      });
      await writeStepResult(deps.config.dataDir, input.jobId, STEP, result);
      return result;
    });
  };
}
