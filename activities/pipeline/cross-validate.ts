import { CancelledFailure } from '@temporalio/common';
import type { StepInput } from '@trainyard/contracts';
import {
  MlError,
  classificationMetrics,
  expandingWindowSplits,
  kfoldSplits,
  modelFamily,
  regressionMetrics,
  sortByTime,
  subsetMatrix,
  summarizeFolds,
  type CvSplit,
  type CvSummary,
  type FoldTimeWindow,
  type PreparedData,
} from '@trainyard/ml';
import type { ActivityDeps } from '../activity-deps';
import { trainingParams } from './parent-model';
import type { JobRecorder, StepContext } from './step-context';
import { onParent } from './train-model';
import { threadsPerSlot, withThreads } from './threads';

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
 * and scores the block after it (time_series_cv).
 */
export async function crossValidateFold(deps: ActivityDeps, ctx: StepContext, input: StepInput, prepared: PreparedData, fold: number, parentModel: Uint8Array | null = null): Promise<FoldResult> {
  const { validation } = input.spec;
  const { split, window } =
    validation.method === 'time_series_cv'
      ? expandingWindowFold(prepared, validation.folds, fold)
      : { split: kfoldSplits(prepared.train.labels, validation.folds, { task: prepared.task, stratify: validation.stratify, seed: validation.seed })[fold], window: undefined };
  const train = subsetMatrix(prepared.train, split.train);
  const held = subsetMatrix(prepared.train, split.validate);
  const classes = prepared.classLabels?.length ?? 0;
  const family = modelFamily(input.spec.model.type);
  ctx.progress({ fold, round: 0 });
  const trained = await family.train({
    task: prepared.task,
    numClasses: classes,
    train,
    validation: null,
    params: withoutEarlyStopping(withThreads(family, trainingParams(input.spec, parentModel), threadsPerSlot(deps.config.cpuSlots))),
    // Folds build on the parent as the final model does, so their metrics say how that model fares.
    ...onParent(input, parentModel),
    onRound: (e) => {
      ctx.progress({ round: e.round });
      return ctx.cancelled.aborted ? 'stop' : 'continue';
    },
  });
  if (trained.cancelled) throw new CancelledFailure('cross-validation cancelled');
  const predicted = await family.predict(trained.model, held, classes);
  const metrics =
    prepared.task === 'classification'
      ? (classificationMetrics(held.labels, predicted, prepared.classLabels ?? []) as unknown as Record<string, unknown>)
      : (regressionMetrics(held.labels, predicted) as unknown as Record<string, unknown>);
  await ctx.log('info', `fold ${fold + 1}/${validation.folds}: ${train.rows} train, ${held.rows} held-out rows`, { metrics: scalarMetrics(metrics) });
  return { fold, trainRows: train.rows, validateRows: held.rows, metrics, ...(window ? { window } : {}) };
}

/** Stores the mean and spread of each metric across the folds. */
export async function recordFolds(jobs: JobRecorder, jobId: string, results: FoldResult[]): Promise<CvSummary> {
  const folds = [...results].sort((a, b) => a.fold - b.fold);
  const summary = summarizeFolds(folds.map((f) => f.metrics));
  if (folds.every((f) => f.window)) summary.timeWindows = folds.map((f) => f.window!);
  await jobs.setResults(jobId, { cvMetrics: summary });
  await jobs.log(jobId, { level: 'info', stage: 'train', message: `cross-validation over ${summary.folds} folds`, data: { mean: summary.mean, std: summary.std } });
  return summary;
}

/** The fold's expanding-window split of the training rows, in time order, and its time span. */
function expandingWindowFold(prepared: PreparedData, folds: number, fold: number): { split: CvSplit; window: FoldTimeWindow } {
  const times = prepared.trainTimes;
  if (!times) throw new Error('time_series_cv needs the training rows’ times; preprocess again');
  if (prepared.train.rows < folds + 1) {
    throw new MlError('INSUFFICIENT_DATA', `${prepared.train.rows} training rows cannot make ${folds} expanding-window folds`);
  }
  const split = expandingWindowSplits(sortByTime(Int32Array.from({ length: times.length }, (_, i) => i), times), folds)[fold];
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
