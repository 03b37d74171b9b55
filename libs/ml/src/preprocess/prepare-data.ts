import { isTimeOrdered, type DataRangeSpec, type Task, type TimeFeaturesSpec, type ValidationSpec } from '@trainyard/contracts';
import { column, type Frame, type FrameColumn } from '../data/frame';
import { MlError } from '../errors';
import type { Matrix } from '../matrix';
import { applyFeatureStats } from './apply-feature-stats';
import { encodeRows } from './apply-plan';
import { byLabel, classCounts, classDistribution } from './class-distribution';
import { classWeightsFor, sampleWeights, type ClassWeightsSpec } from './class-weights';
import { encodeTarget } from './encode-target';
import { fitFeatureStats } from './fit-feature-stats';
import { fitPlan } from './fit-plan';
import { learnedTarget, timeBounds } from './forecast-target';
import { holdoutSplit, timeOrderedSplit, type SplitIndices } from './holdout-split';
import { inferTask } from './infer-task';
import { oversample } from './oversample';
import type { PreparedData } from './prepared-data';
import { timeFeatureName, type ForecastSpec, type PreprocessPlan } from './preprocess-plan';
import { selectFeatures } from './select-features';
import { computeTimeFeatures, fitTimeFeatures } from './time-features';
import { frameTimeOrder, sortByTime, timeValues } from './time-order';

/** Fewer labelled rows than this cannot give a meaningful train/test split. */
const MIN_ROWS = 10;

export interface PrepareOptions {
  target: string;
  features: string[] | null;
  exclude: string[];
  task: Task | null;
  validation: ValidationSpec;
  /** Standardise every matrix column with the training split's mean and std (linear models, MLPs); default off. */
  scaling?: boolean;
  /** Fill missing values with the training median (most frequent code for categories); default off, trees keep NaN. */
  impute?: boolean;
  /**
   * Per-row sample weights on every matrix: 'balanced' from the training split's class counts (after any
   * oversampling), or a weight per class label (others weigh 1). Classification only.
   */
  classWeights?: ClassWeightsSpec | null;
  /** Repeat random rows of the smaller classes (seeded by validation.seed) until each matches the largest; training split only. */
  oversample?: boolean;
  /** Lags and rolling means over rows ordered by `validation.timeColumn`. */
  timeFeatures?: TimeFeaturesSpec | null;
  /** Only rows whose time column value lies in the range are trained and tested on (earlier rows still give history). */
  dataRange?: DataRangeSpec | null;
  /**
   * Encode with this plan (a parent model's) instead of fitting one, so the feature layout matches the parent's;
   * features, timeFeatures, scaling and impute are then the plan's, and so is the forecast horizon.
   */
  plan?: PreprocessPlan | null;
  /** With `plan`: the target keeps the plan's task and class labels (a row of another class is refused). */
  keepClassLabels?: boolean;
}

/** Turns a raw frame into train/validation/test matrices plus the plan that repeats the encoding at prediction time. */
export function prepareData(frame: Frame, opts: PrepareOptions): PreparedData {
  const raw = column(frame, opts.target);
  if (!raw) {
    throw new MlError('TARGET_COLUMN_MISSING', `target column "${opts.target}" is not in the dataset`, {
      column: opts.target,
      columns: frame.columns.map((c) => c.name),
    });
  }
  const given = opts.plan ?? null;
  // A parent's plan decides what is forecast, so a run on top of it learns the same thing.
  const forecast = given ? (given.forecast ?? null) : forecastOf(opts.validation);
  const target = learnedTarget(frame, raw, { timeColumn: opts.validation.timeColumn, bounds: opts.dataRange ? timeBounds(opts.dataRange) : null, forecast });
  const features = given ? inputsOf(given, target.name) : selectFeatures(frame, { ...opts, targetIsInput: forecast !== null });
  checkFractions(opts.validation);

  const kept = presentRows(target);
  const droppedRows = frame.rowCount - kept.length;
  if (kept.length < MIN_ROWS) {
    const why = opts.dataRange || forecast ? ' in the data range and horizon' : '';
    throw insufficient(`only ${kept.length} rows have a target value${why}; at least ${MIN_ROWS} are needed`, { rows: kept.length });
  }
  const keep = given && opts.keepClassLabels ? given : null;
  const task = opts.task ?? keep?.task ?? inferTask(target);
  if (keep && keep.task !== task) throw new MlError('INVALID_HYPERPARAMETERS', `the parent model is a ${keep.task} model; this run is ${task}`);
  const { labels, classLabels } = encodeTarget(target, kept, task, keep?.classLabels ?? null);
  if (classLabels && classLabels.length < 2) {
    throw insufficient(`target "${target.name}" has a single class (${classLabels[0]}); classification needs two or more`);
  }

  const split = splitRows(frame, kept, labels, task, opts.validation);
  if (split.train.length === 0 || split.test.length === 0) {
    throw insufficient(`the split left ${split.train.length} training and ${split.test.length} test rows`);
  }
  if (classLabels && new Set(Array.from(split.train, (i) => labels[i])).size < 2) {
    throw insufficient('the training split holds a single class');
  }

  if ((opts.classWeights || opts.oversample) && !classLabels) {
    throw new MlError('INVALID_HYPERPARAMETERS', `${opts.oversample ? 'oversample' : 'classWeights'} needs a classification task`);
  }
  const trainPositions = opts.oversample ? oversample(split.train, (p) => labels[p], classLabels!.length, opts.validation.seed) : split.train;
  const rowsOf = (positions: Int32Array) => positions.map((p) => kept[p]);
  const { plan, timed, trainData } = given
    ? encodeWithPlan({ ...given, task, target: target.name, classLabels }, frame, rowsOf(split.train))
    : fitAndEncode(frame, opts, { target: target.name, features, task, classLabels, forecast }, rowsOf(split.train));
  const trainLabels = Float32Array.from(trainPositions, (p) => labels[p]);
  const weights = opts.classWeights ? classWeightsFor(opts.classWeights, classLabels!, trainLabels) : null;
  const matrix = (positions: Int32Array, data?: Float32Array): Matrix => {
    const m: Matrix = {
      rows: positions.length,
      cols: plan.featureNames.length,
      data: data ?? encodeRows(plan, frame, rowsOf(positions), timed),
      labels: Float32Array.from(positions, (p) => labels[p]),
    };
    if (weights) m.weights = sampleWeights(m.labels, weights);
    return m;
  };
  const prepared: PreparedData = {
    task,
    featureNames: plan.featureNames,
    classLabels,
    plan,
    // Oversampled rows are encoded again; otherwise the rows the statistics were fitted on are used as they are.
    train: matrix(trainPositions, trainPositions === split.train ? trainData : undefined),
    validation: split.validation.length > 0 ? matrix(split.validation) : null,
    test: matrix(split.test),
    droppedRows,
  };
  if (weights) prepared.classWeights = weights;
  if (classLabels) {
    prepared.classDistribution = classDistribution(labels, classLabels);
    if (opts.oversample) prepared.classDistribution.oversampledTrainCounts = byLabel(classCounts(trainLabels, classLabels.length), classLabels);
  }
  prepared.frameRows = { train: rowsOf(trainPositions), validation: rowsOf(split.validation), test: rowsOf(split.test) };
  return prepared;
}

interface Encoded {
  plan: PreprocessPlan;
  /** Every frame row's time features, when the plan has them. */
  timed: Float32Array | null;
  /** The training split's rows (before oversampling), encoded with the final plan. */
  trainData: Float32Array;
}

/** Fits vocabularies, time features and feature statistics on the training rows, then encodes those rows. */
function fitAndEncode(
  frame: Frame,
  opts: PrepareOptions,
  learned: { target: string; features: string[]; task: Task; classLabels: string[] | null; forecast: ForecastSpec | null },
  trainRows: Int32Array,
): Encoded {
  // Category vocabularies and feature statistics come from the distinct training rows, as without oversampling.
  const fitted = fitPlan({ frame, ...learned, fitRows: trainRows });
  const timedPlan = opts.timeFeatures ? withTimeFeatures(fitted, opts.timeFeatures, opts.validation.timeColumn) : fitted;
  const basePlan = learned.forecast ? { ...timedPlan, forecast: learned.forecast } : timedPlan;
  // Computed once over every frame row in time order: rows without a target still give later rows their history.
  const timed = basePlan.timeColumn ? computeTimeFeatures(basePlan, frame, frameTimeOrder(frame, basePlan.timeColumn)) : null;
  const unscaled = encodeRows(basePlan, frame, trainRows, timed);
  const stats = fitFeatureStats(basePlan, unscaled, { impute: opts.impute ?? false, scaling: opts.scaling ?? false });
  const plan = { ...basePlan, ...stats };
  return { plan, timed, trainData: applyFeatureStats(plan, unscaled) };
}

/** Encodes with a parent model's plan as it is: its vocabularies (unseen categories missing), time features and statistics. */
function encodeWithPlan(plan: PreprocessPlan, frame: Frame, trainRows: Int32Array): Encoded {
  const timed = plan.timeColumn ? computeTimeFeatures(plan, frame, frameTimeOrder(frame, plan.timeColumn)) : null;
  return { plan, timed, trainData: encodeRows(plan, frame, trainRows, timed) };
}

/** The raw columns a parent's plan reads; its target may be one of them only when it forecasts. */
function inputsOf(plan: PreprocessPlan, target: string): string[] {
  const inputs = plan.inputs.map((i) => i.name);
  if (inputs.includes(target) && !plan.forecast) {
    throw new MlError('INVALID_HYPERPARAMETERS', `the parent model reads column "${target}" as a feature; it cannot be this run's target`, { column: target });
  }
  return inputs;
}

function forecastOf(validation: ValidationSpec): ForecastSpec | null {
  const horizon = validation.horizon ?? 0;
  if (horizon <= 0) return null;
  if (!validation.timeColumn) throw new MlError('INVALID_HYPERPARAMETERS', 'validation.horizon needs validation.timeColumn: the column that orders rows in time');
  return { horizon, timeColumn: validation.timeColumn, seriesColumn: validation.seriesColumn ?? null };
}

function withTimeFeatures(plan: PreprocessPlan, spec: TimeFeaturesSpec, timeColumn: string | null): PreprocessPlan {
  if (!timeColumn) {
    throw new MlError('INVALID_HYPERPARAMETERS', 'preprocessing.timeFeatures needs validation.timeColumn: the column that orders rows in time');
  }
  const timeFeatures = fitTimeFeatures(spec, plan.transforms);
  return { ...plan, timeFeatures, timeColumn, featureNames: [...plan.featureNames, ...timeFeatures.map(timeFeatureName)] };
}

function presentRows(target: FrameColumn): Int32Array {
  const rows: number[] = [];
  if (target.type === 'string') {
    for (let i = 0; i < target.codes.length; i++) if (target.codes[i] >= 0) rows.push(i);
  } else {
    for (let i = 0; i < target.values.length; i++) if (!Number.isNaN(target.values[i])) rows.push(i);
  }
  return Int32Array.from(rows);
}

/** Splits positions 0..kept-1 (indices into `kept`, not frame rows). */
function splitRows(frame: Frame, kept: Int32Array, labels: Float32Array, task: Task, spec: ValidationSpec): SplitIndices {
  const { testSize, validationSize, seed } = spec;
  if (isTimeOrdered(spec.method)) {
    return timeOrderedSplit(timeOrder(frame, kept, spec.timeColumn), testSize, validationSize);
  }
  const strata = task === 'classification' && spec.stratify ? labels : null;
  return holdoutSplit(kept.length, { testSize, validationSize, seed, strata });
}

/** Positions sorted by the time column (row order when none); rows without a time come first. */
function timeOrder(frame: Frame, kept: Int32Array, timeColumn: string | null): number[] {
  const positions = Array.from(kept, (_, i) => i);
  if (!timeColumn) return positions;
  const times = timeValues(frame, timeColumn);
  const byPosition = Float64Array.from(kept, (row) => times[row]);
  return Array.from(sortByTime(positions, byPosition));
}

function checkFractions({ testSize, validationSize }: ValidationSpec): void {
  const ok = testSize > 0 && testSize < 1 && validationSize >= 0 && validationSize < 1 && testSize + validationSize < 1;
  if (!ok) {
    throw new MlError('INVALID_HYPERPARAMETERS', `validation.testSize (${testSize}) and validationSize (${validationSize}) must be fractions in [0, 1) with testSize > 0 and a sum below 1`);
  }
}

function insufficient(message: string, details: Record<string, unknown> = {}): MlError {
  return new MlError('INSUFFICIENT_DATA', message, details);
}
