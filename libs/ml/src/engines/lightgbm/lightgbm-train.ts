import { withEngineLane } from '../../native';
import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { checkpointNow, type FamilyTrainOptions, type RoundEvent } from '../model-family';
import { BestRoundTracker } from '../xgboost/best-round-tracker';
import { checkLabels } from '../xgboost/xgboost-objective';
import { LightGBMBooster } from './lightgbm-booster';
import { createDataset, freeDataset } from './lightgbm-dataset';
import { LightGBMCallError } from './lightgbm-errors';
import { PREDICT_RAW_SCORE } from './lightgbm-library';
import type { NativeHandle } from './lightgbm-library';
import { RoundBatches, roundsToBoundary } from '../round-batches';
import { lightgbmObjective, metricName, withWatchedMetric } from './lightgbm-objective';
import type { LightGBMObjective } from './lightgbm-objective';
import { resolveLightGBMParams } from './lightgbm-params';
import { lightgbmVersion } from './lightgbm-version';
import { quietWorkerThreads } from './quiet-worker-threads';
import { parentModel } from '../training-mode';
import type { ResolvedParams } from './param-table';
import { resolveRandomForestParams } from './random-forest-params';

export interface LightGBMTrainOptions extends FamilyTrainOptions {
  /** 'gbdt' reads numRounds and boosting params; 'rf' reads numTrees and forest params. */
  boosting?: 'gbdt' | 'rf';
}

export interface LightGBMTrainResult {
  /** LightGBM's text model. After early stopping it holds only the rounds up to bestRound. */
  model: Uint8Array;
  rounds: number;
  /** 1-based round with the lowest validation loss (this run only), or null without validation. */
  bestRound: number | null;
  stoppedEarly: boolean;
  cancelled: boolean;
  engineVersion: string;
  /** Total split gain per feature index, normalised to sum to 1. */
  featureImportance: number[];
}

/** Trains LightGBM trees (gradient boosting or random forest); each round runs off the event loop. */
export function trainLightGBM(opts: LightGBMTrainOptions): Promise<LightGBMTrainResult> {
  return withEngineLane(() => trainInLane(opts));
}

async function trainInLane(opts: LightGBMTrainOptions): Promise<LightGBMTrainResult> {
  const resolved = opts.boosting === 'rf' ? resolveRandomForestParams(opts.params) : resolveLightGBMParams(opts.params);
  const objective = lightgbmObjective(opts.task, opts.numClasses);
  const validation = opts.validation && opts.validation.rows > 0 ? opts.validation : null;
  checkInputs(opts, validation, resolved.earlyStoppingRounds);
  const params = nativeParams(withWatchedMetric(objective, opts.watchMetric, opts.task, opts.numClasses), resolved, opts.device ?? 'cpu');
  const parent = parentModel(opts.boosting === 'rf' ? 'random_forest' : 'lightgbm', opts);
  await quietWorkerThreads();
  // Rounds are counted over the whole model, so an incremental run's total is the parent's plus its own.
  const totalRounds = (parent ? await parentRounds(parent, opts, objective) : 0) + resolved.numRounds;

  const datasets: NativeHandle[] = [];
  const boosters: LightGBMBooster[] = [];
  try {
    // An incremental run starts as a resume from its parent does: its scores as init_score, its trees merged in front.
    const { booster, trainIndex } = await setUp({ ...opts, startFrom: opts.startFrom ?? parent }, validation, objective, params, datasets, boosters);
    const names = booster.evalNames().map(metricName);
    const tracker = new BestRoundTracker(validation ? resolved.earlyStoppingRounds : null);
    let stoppedEarly = false;
    let cancelled = false;
    // The last round reported; a trip may have boosted past it when training stopped mid-trip.
    let lastRound = booster.currentIteration();
    const batches = new RoundBatches();
    training: while (lastRound < totalRounds) {
      const count = batches.next(roundsToBoundary(lastRound, totalRounds, opts.onCheckpoint ? opts.checkpointEvery : undefined));
      const started = performance.now();
      const trip = await booster.boostRounds(count, validation ? [trainIndex, 1] : [trainIndex], names.length);
      batches.observe(count, performance.now() - started);
      for (const { finished: noSplit, metrics } of trip) {
        if (noSplit) break training;
        const round = ++lastRound;
        const event: RoundEvent = {
          round,
          totalRounds,
          train: named(names, metrics[0]),
          validation: validation ? named(names, metrics[1]) : null,
        };
        if (event.validation) stoppedEarly = tracker.observe(round, event.validation[objective.metric]!);
        if ((await opts.onRound?.(event)) === 'stop') cancelled = true;
        if (cancelled || stoppedEarly) break training;
      }
      if (checkpointNow(opts, lastRound)) {
        await opts.onCheckpoint(await booster.saveModel(lastRound), lastRound);
      }
    }

    const rounds = stoppedEarly && tracker.bestRound !== null ? tracker.bestRound : lastRound;
    return {
      model: await booster.saveModel(rounds),
      rounds,
      bestRound: tracker.bestRound,
      stoppedEarly,
      cancelled,
      engineVersion: lightgbmVersion(),
      featureImportance: normalise(booster.gainImportance(rounds)),
    };
  } finally {
    for (const b of boosters) b.free();
    for (const d of datasets) freeDataset(d);
  }
}

interface TrainingSetUp {
  booster: LightGBMBooster;
  /** Which of LightGBM's eval data sets holds the training rows' metrics (validation is always 1). */
  trainIndex: number;
}

/**
 * Builds the datasets and booster. A checkpoint continues the way LightGBM's own wrappers do: its raw scores
 * become the datasets' init_score and its trees are merged in front of the new ones.
 */
async function setUp(
  opts: LightGBMTrainOptions,
  validation: Matrix | null,
  objective: LightGBMObjective,
  params: string,
  datasets: NativeHandle[],
  boosters: LightGBMBooster[],
): Promise<TrainingSetUp> {
  const start = opts.startFrom ? await LightGBMBooster.load(opts.startFrom, 'INVALID_HYPERPARAMETERS') : null;
  if (start) {
    boosters.push(start);
    if (start.treesPerIteration() !== objective.scoresPerRow) {
      throw new MlError('INVALID_HYPERPARAMETERS', `The checkpoint has ${start.treesPerIteration()} trees per round; this task needs ${objective.scoresPerRow}`);
    }
    if (averagesTrees(opts.startFrom!) !== (opts.boosting === 'rf')) {
      throw new MlError('INVALID_HYPERPARAMETERS', 'The checkpoint was trained with a different boosting mode (gbdt vs rf)');
    }
  }
  try {
    const initScore = async (m: Matrix) => (start ? startingScores(start, m, objective.scoresPerRow, opts.boosting === 'rf') : null);
    // rf refuses a training init_score; it re-derives its fixed gradients from the labels, as the first run did.
    const forestResume = start !== null && opts.boosting === 'rf';
    const dtrain = await createDataset(opts.train, { params, initScore: forestResume ? null : await initScore(opts.train) }, 'TRAINING_FAILED');
    datasets.push(dtrain);
    const evalSets: Matrix[] = [...(validation ? [validation] : []), ...(forestResume ? [opts.train] : [])];
    const evalHandles: NativeHandle[] = [];
    for (const m of evalSets) {
      evalHandles.push(await createDataset(m, { params, reference: dtrain, initScore: await initScore(m) }, 'TRAINING_FAILED'));
      datasets.push(evalHandles[evalHandles.length - 1]!);
    }
    const booster = await LightGBMBooster.create(dtrain, params, 'INVALID_HYPERPARAMETERS');
    boosters.push(booster);
    for (const handle of evalHandles) await booster.addValidData(handle);
    if (start) booster.mergeFrom(start);
    // A resumed forest's own training scores start from zero, so its training rows are also scored as an eval set.
    return { booster, trainIndex: forestResume ? evalSets.length : 0 };
  } catch (err) {
    if (opts.device === 'gpu' && err instanceof LightGBMCallError && /gpu|opencl|cuda|device/i.test(err.message)) {
      throw new MlError('GPU_UNAVAILABLE', `This LightGBM build cannot train on GPU: ${err.message}`, err.details);
    }
    throw err;
  }
}

/** Iterations in the parent of an incremental run, which must have been trained on as many features for this task. */
async function parentRounds(parent: Uint8Array, opts: LightGBMTrainOptions, objective: LightGBMObjective): Promise<number> {
  const wanted = objective.params.find(([name]) => name === 'objective')![1];
  // The text model's header names its objective, e.g. "objective=binary sigmoid:1".
  const found = /^objective=(\S+)/m.exec(Buffer.from(parent.buffer, parent.byteOffset, parent.byteLength).toString('utf8'))?.[1] ?? 'unknown';
  const booster = await LightGBMBooster.load(parent, 'INVALID_HYPERPARAMETERS');
  try {
    if (found !== wanted || booster.featureCount() !== opts.train.cols || booster.treesPerIteration() !== objective.scoresPerRow) {
      throw new MlError(
        'INVALID_HYPERPARAMETERS',
        `The parent model is ${found} on ${booster.featureCount()} features with ${booster.treesPerIteration()} trees per round; this run is ${wanted} on ${opts.train.cols} with ${objective.scoresPerRow}`,
      );
    }
    return booster.currentIteration();
  } finally {
    booster.free();
  }
}

/**
 * The checkpoint's scores as init_score: LightGBM predicts raw scores row-major and summed (even for rf, whose
 * training scores are the mean), but takes init_score class-major.
 */
async function startingScores(booster: LightGBMBooster, m: Matrix, perRow: number, mean: boolean): Promise<Float64Array> {
  const raw = await booster.predict(m.data, m.rows, m.cols, PREDICT_RAW_SCORE, 'INVALID_HYPERPARAMETERS');
  const scale = mean ? 1 / booster.currentIteration() : 1;
  const out = new Float64Array(raw.length);
  for (let r = 0; r < m.rows; r++) for (let k = 0; k < perRow; k++) out[k * m.rows + r] = raw[r * perRow + k]! * scale;
  return out;
}

/** rf models carry an `average_output` line in LightGBM's text format. */
function averagesTrees(model: Uint8Array): boolean {
  return /^average_output\s*$/m.test(Buffer.from(model.buffer, model.byteOffset, model.byteLength).toString('utf8'));
}

function nativeParams(objectiveParams: [string, string][], resolved: ResolvedParams, device: 'cpu' | 'gpu'): string {
  const all: [string, string][] = [
    ...objectiveParams,
    ['verbosity', '-1'],
    // Deterministic results need the histogram layout pinned rather than timed at start-up.
    ['deterministic', 'true'],
    ['force_col_wise', 'true'],
    ['is_provide_training_metric', 'true'],
    ...(device === 'gpu' ? ([['device_type', 'gpu']] as [string, string][]) : []),
    ...resolved.native,
  ];
  return all.map(([k, v]) => `${k}=${v}`).join(' ');
}

function checkInputs(opts: LightGBMTrainOptions, validation: Matrix | null, earlyStoppingRounds: number | null): void {
  if (opts.train.rows === 0) throw new MlError('INSUFFICIENT_DATA', 'LightGBM needs at least one training row');
  checkLabels(opts.train, opts.task, opts.numClasses, 'train');
  if (validation) {
    checkLabels(validation, opts.task, opts.numClasses, 'validation');
    if (validation.cols !== opts.train.cols) {
      throw new MlError('DATASET_INVALID', `validation has ${validation.cols} columns, train has ${opts.train.cols}`);
    }
  }
  if (earlyStoppingRounds !== null && !validation) {
    throw new MlError('INVALID_HYPERPARAMETERS', 'earlyStoppingRounds needs a validation set');
  }
}

function named(names: string[], values: number[]): Record<string, number> {
  return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
}

function normalise(values: number[]): number[] {
  const sum = values.reduce((a, b) => a + b, 0);
  return sum > 0 ? values.map((v) => v / sum) : values.map(() => 0);
}
