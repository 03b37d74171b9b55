import { Context } from '@temporalio/activity';
import { CancelledFailure } from '@temporalio/common';
import type { LoadFeaturesResult, PreprocessResult, StepInput } from '@trainyard/contracts';
import {
  MlError,
  classificationMetrics,
  expandingWindowSplits,
  kfoldSplits,
  loadPrepared,
  modelFamily,
  readFrame,
  regressionMetrics,
  sortByTime,
  subsetMatrix,
  timeValues,
  type CvSplit,
  type FoldTimeWindow,
  type PreparedData,
} from '@trainyard/ml';
import type { ActivityDeps } from './activity-deps';
import { runStep } from './job-context';
import { dataPath, readStepResult, writeStepResult } from './job-files';
import { threadsPerSlot, withThreads } from './train.activity';

export interface CrossValidateFoldInput extends StepInput {
  /** Needed for time_series_cv, whose folds follow the frame's time column. */
  load?: LoadFeaturesResult;
  prepared: PreprocessResult;
  fold: number;
}

export interface FoldResult {
  fold: number;
  trainRows: number;
  validateRows: number;
  metrics: Record<string, unknown>;
  /** For time_series_cv: the time span of the fold's training and held-out rows. */
  window?: FoldTimeWindow;
}

/**
 * Trains on every fold but one and scores the held-out fold (kfold), or trains on the rows up to a point in time
 * and scores the block after it (time_series_cv); the workflow runs the folds side by side.
 */
export function createCrossValidateFold(deps: ActivityDeps) {
  return async function crossValidateFold(input: CrossValidateFoldInput): Promise<FoldResult> {
    return runStep(deps, input, 'train', async (ctx) => {
      const step = `cv-fold-${input.fold}`;
      const done = await readStepResult<FoldResult>(deps.config.dataDir, input.jobId, step);
      if (done) return done;

      const activity = Context.current();
      const prepared = await loadPrepared(dataPath(deps.config.dataDir, input.prepared.preparedPath));
      const { validation } = input.spec;
      const { split, window } =
        validation.method === 'time_series_cv'
          ? await expandingWindowFold(deps.config.dataDir, input, prepared)
          : { split: kfoldSplits(prepared.train.labels, validation.folds, { task: prepared.task, stratify: validation.stratify, seed: validation.seed })[input.fold], window: undefined };
      const train = subsetMatrix(prepared.train, split.train);
      const held = subsetMatrix(prepared.train, split.validate);
      const classes = prepared.classLabels?.length ?? 0;
      const family = modelFamily(input.spec.model.type);
      const trained = await family.train({
        task: prepared.task,
        numClasses: classes,
        train,
        validation: null,
        params: withoutEarlyStopping(withThreads(family, input.spec.model.params, threadsPerSlot(deps.config.cpuSlots))),
        onRound: (e) => {
          ctx.heartbeat({ fold: input.fold, round: e.round });
          return activity.cancellationSignal.aborted ? 'stop' : 'continue';
        },
      });
      if (trained.cancelled) throw new CancelledFailure('cross-validation cancelled');
      const predicted = await family.predict(trained.model, held, classes);
      const metrics =
        prepared.task === 'classification'
          ? (classificationMetrics(held.labels, predicted, prepared.classLabels ?? []) as unknown as Record<string, unknown>)
          : (regressionMetrics(held.labels, predicted) as unknown as Record<string, unknown>);
      const result: FoldResult = { fold: input.fold, trainRows: train.rows, validateRows: held.rows, metrics, ...(window ? { window } : {}) };
      await ctx.log('info', `fold ${input.fold + 1}/${validation.folds}: ${train.rows} train, ${held.rows} held-out rows`, { metrics: scalarMetrics(metrics) });
      await writeStepResult(deps.config.dataDir, input.jobId, step, result);
      return result;
    });
  };
}

/** The fold's expanding-window split of the training rows, in the order of the time column, and its time span. */
async function expandingWindowFold(dataDir: string, input: CrossValidateFoldInput, prepared: PreparedData): Promise<{ split: CvSplit; window: FoldTimeWindow }> {
  const { timeColumn, folds } = input.spec.validation;
  if (!input.load || !timeColumn || !prepared.frameRows) throw new Error('time_series_cv needs the loaded frame, its time column and the prepared frame rows');
  if (prepared.train.rows < folds + 1) {
    throw new MlError('INSUFFICIENT_DATA', `${prepared.train.rows} training rows cannot make ${folds} expanding-window folds`);
  }
  const frame = await readFrame(dataPath(dataDir, input.load.framePath));
  const frameTimes = timeValues(frame, timeColumn);
  const times = Float64Array.from(prepared.frameRows.train, (row) => frameTimes[row]);
  const split = expandingWindowSplits(sortByTime(Int32Array.from({ length: times.length }, (_, i) => i), times), folds)[input.fold];
  const span = (rows: Int32Array) => [times[rows[0]], times[rows[rows.length - 1]]];
  const [trainFrom, trainTo] = span(split.train);
  const [validateFrom, validateTo] = span(split.validate);
  return { split, window: { trainFrom, trainTo, validateFrom, validateTo } };
}

/** Folds have no validation split of their own, so early stopping has nothing to watch. */
function withoutEarlyStopping(params: Record<string, unknown>): Record<string, unknown> {
  const { earlyStoppingRounds: _ignored, ...rest } = params;
  return rest;
}

export function scalarMetrics(metrics: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
}
