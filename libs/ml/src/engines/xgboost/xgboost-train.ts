import { withEngineLane } from '../../native';
import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { BEST_ITERATION_ATTR, BEST_SCORE_ATTR, BestRoundTracker } from './best-round-tracker';
import { RoundBatches, roundsToBoundary } from '../round-batches';
import { Booster } from './xgboost-booster';
import type { EvalResult } from './xgboost-booster';
import { createDMatrix, createQuantileDMatrix, freeDMatrix } from './xgboost-dmatrix';
import type { NativeHandle } from './xgboost-library';
import { gainImportance, readXGBoostModel } from './xgboost-model-json';
import { checkLabels, extraEvalMetric, metricName, objectiveFor } from './xgboost-objective';
import type { Objective, XGBoostTask } from './xgboost-objective';
import { resolveXGBoostParams } from './xgboost-params';
import { xgboostSupportsCuda, xgboostVersion } from './xgboost-version';
import { checkpointNow } from '../model-family';
import { parentModel } from '../training-mode';
import type { TrainingMode } from '../training-mode';

export interface XGBoostRoundEvent {
  /** 1-based count of rounds the model now holds (continues from a checkpoint's rounds). */
  round: number;
  totalRounds: number;
  train: Record<string, number>;
  validation: Record<string, number> | null;
}

export type RoundDecision = 'continue' | 'stop';

export interface XGBoostTrainOptions {
  task: XGBoostTask;
  /** 0 for regression. */
  numClasses: number;
  train: Matrix;
  validation?: Matrix | null;
  /** API camelCase hyperparameters; see validateXGBoostParams. */
  params: Record<string, unknown>;
  device?: 'cpu' | 'gpu';
  /** An API metric to report each round too (rocAuc for binary, mae for regression); early stopping ignores it. */
  watchMetric?: string;
  /** A saved model (e.g. a checkpoint) to continue boosting from. */
  startFrom?: Uint8Array | null;
  /** 'incremental' boosts numRounds more rounds on top of initModel's trees, on this run's data. */
  mode?: TrainingMode;
  initModel?: Uint8Array | null;
  /** Called after every round; 'stop' cancels training between rounds. */
  onRound?: (e: XGBoostRoundEvent) => Promise<RoundDecision> | RoundDecision;
  checkpointEvery?: number;
  /** Receives the model after every `checkpointEvery` rounds; `round` is the 1-based round count it holds. */
  onCheckpoint?: (model: Uint8Array, round: number) => Promise<void>;
  /** Asked at each `checkpointEvery` boundary: false skips that checkpoint, serialisation included. */
  checkpointDue?: (round: number) => boolean;
}

export interface XGBoostTrainResult {
  /** XGBoost JSON model. After early stopping it holds only the rounds up to bestRound. */
  model: Uint8Array;
  /** Rounds in the returned model. */
  rounds: number;
  /** 1-based round with the lowest validation loss, or null without validation. */
  bestRound: number | null;
  stoppedEarly: boolean;
  cancelled: boolean;
  engineVersion: string;
  /** Average split gain per feature index, normalised to sum to 1. */
  featureImportance: number[];
}

/** Trains a gradient-boosted tree model; each round runs off the event loop. */
export function trainXGBoost(opts: XGBoostTrainOptions): Promise<XGBoostTrainResult> {
  return withEngineLane(() => trainInLane(opts));
}

async function trainInLane(opts: XGBoostTrainOptions): Promise<XGBoostTrainResult> {
  const resolved = resolveXGBoostParams(opts.params);
  const objective = objectiveFor(opts.task, opts.numClasses);
  const validation = opts.validation && opts.validation.rows > 0 ? opts.validation : null;
  checkInputs(opts, validation, resolved.earlyStoppingRounds);
  const engineVersion = xgboostVersion();
  const parent = parentModel('xgboost', opts);
  // Rounds are counted over the whole model, so an incremental run's total is the parent's plus its own.
  const totalRounds = (parent ? parentRounds(parent, opts, objective) : 0) + resolved.numRounds;

  const dmatrices: NativeHandle[] = [];
  const boosters: Booster[] = [];
  try {
    const threads = nativeThreads(resolved.native);
    const binned = binnedTraining(resolved.native, opts.train, opts.device ?? 'cpu');
    const dtrain = binned
      ? await createQuantileDMatrix(opts.train, 'TRAINING_FAILED', { threads, maxBin: binned.maxBin })
      : await createDMatrix(opts.train, true, 'TRAINING_FAILED', threads);
    dmatrices.push(dtrain);
    const sets = [{ name: 'train', handle: dtrain }];
    if (validation) {
      const dvalid = await createDMatrix(validation, true, 'TRAINING_FAILED', threads);
      dmatrices.push(dvalid);
      sets.push({ name: 'validation', handle: dvalid });
    }
    const booster = Booster.create(dmatrices, 'TRAINING_FAILED');
    boosters.push(booster);
    if (opts.startFrom) await booster.loadModel(opts.startFrom, 'INVALID_HYPERPARAMETERS');
    else if (parent) {
      await booster.loadModel(parent, 'INVALID_HYPERPARAMETERS');
      // The parent's best round belongs to its own validation set, not this run's.
      booster.deleteAttr(BEST_ITERATION_ATTR);
      booster.deleteAttr(BEST_SCORE_ATTR);
    }
    applyParams(booster, objective, resolved.native, opts.device ?? 'cpu', extraEvalMetric(opts.watchMetric, opts.task, opts.numClasses));

    const tracker = BestRoundTracker.restore(
      validation ? resolved.earlyStoppingRounds : null,
      booster.getAttr(BEST_ITERATION_ATTR),
      booster.getAttr(BEST_SCORE_ATTR),
    );
    let stoppedEarly = false;
    let cancelled = false;
    // The last round reported; a trip may have boosted past it when training stopped mid-trip.
    let lastRound = booster.boostedRounds();
    const batches = new RoundBatches();
    training: while (lastRound < totalRounds) {
      const count = batches.next(roundsToBoundary(lastRound, totalRounds, opts.onCheckpoint ? opts.checkpointEvery : undefined));
      const started = performance.now();
      const trip = await booster.boostRounds(lastRound, count, dtrain, sets);
      batches.observe(count, performance.now() - started);
      for (const scores of trip) {
        const round = ++lastRound;
        const event = roundEvent(round, totalRounds, scores, validation !== null);
        if (event.validation) stoppedEarly = tracker.observe(round, event.validation[metricName(objective.evalMetric)]!);
        if ((await opts.onRound?.(event)) === 'stop') cancelled = true;
        if (cancelled || stoppedEarly) break training;
      }
      recordBest(booster, tracker);
      if (checkpointNow(opts, lastRound)) {
        await opts.onCheckpoint(await booster.saveJson(), lastRound);
      }
    }

    const keep = stoppedEarly && tracker.bestRound !== null ? tracker.bestRound : lastRound;
    const final = keep < booster.boostedRounds() ? booster.slice(0, keep) : booster;
    if (final !== booster) {
      boosters.push(final);
      recordBest(final, tracker);
    }
    const model = await final.saveJson();
    return {
      model,
      rounds: final.boostedRounds(),
      bestRound: tracker.bestRound,
      stoppedEarly,
      cancelled,
      engineVersion,
      featureImportance: gainImportance(readXGBoostModel(model)),
    };
  } finally {
    for (const b of boosters) b.free();
    for (const d of dmatrices) freeDMatrix(d);
  }
}

/** Rounds in the parent of an incremental run, which must have been trained for this task on as many features. */
function parentRounds(parent: Uint8Array, opts: XGBoostTrainOptions, objective: Objective): number {
  const model = readXGBoostModel(parent);
  if (model.objective !== objective.objective || model.numFeature !== opts.train.cols) {
    throw new MlError(
      'INVALID_HYPERPARAMETERS',
      `The parent model is ${model.objective} on ${model.numFeature} features; this run is ${objective.objective} on ${opts.train.cols}`,
    );
  }
  const groups = objective.objective === 'multi:softprob' ? opts.numClasses : 1;
  if (model.objective === 'multi:softprob' && model.numClass !== opts.numClasses) {
    throw new MlError('INVALID_HYPERPARAMETERS', `The parent model has ${model.numClass} classes; this run has ${opts.numClasses}`);
  }
  return model.trees.length / groups;
}

function checkInputs(opts: XGBoostTrainOptions, validation: Matrix | null, earlyStoppingRounds: number | null): void {
  if (opts.train.rows === 0) throw new MlError('INSUFFICIENT_DATA', 'XGBoost needs at least one training row');
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
  if (opts.device === 'gpu' && !xgboostSupportsCuda()) {
    throw new MlError('GPU_UNAVAILABLE', 'This libxgboost was built without CUDA; train on cpu or install a CUDA build');
  }
}

function applyParams(booster: Booster, objective: Objective, native: [string, string][], device: 'cpu' | 'gpu', watched: string | null): void {
  const all: [string, string][] = [
    ['objective', objective.objective],
    ...objective.params,
    ['eval_metric', objective.evalMetric],
    // A second eval_metric is added to the list; early stopping reads the objective's one by name.
    ...(watched ? ([['eval_metric', watched]] as [string, string][]) : []),
    ['device', device === 'gpu' ? 'cuda' : 'cpu'],
    ['validate_parameters', '1'],
    ...native,
  ];
  for (const [name, value] of all) booster.setParam(name, value, 'INVALID_HYPERPARAMETERS');
  booster.configure('INVALID_HYPERPARAMETERS');
}

/** From this many cells on, a `hist` training set is held as its bins only (see createQuantileDMatrix). */
const BINNED_FROM_CELLS = 2 ** 24;

/**
 * Whether the training set goes to XGBoost as bins only (a QuantileDMatrix), and with how many bins per feature. A
 * DMatrix keeps a sparse copy of every cell (8 bytes) beside the bins it builds from it at the first round; a
 * QuantileDMatrix keeps the bins alone: on 1.4M × 30, training peaked 180 MB lower. Building the bins up front took
 * 0.8 s longer there (of 17 s), so sets whose copy is cheap keep the DMatrix. Only `hist` trains on bins, and only
 * the CPU path is built this way.
 */
export function binnedTraining(native: [string, string][], train: Matrix, device: 'cpu' | 'gpu'): { maxBin: number } | null {
  const value = (name: string) => native.find(([n]) => n === name)?.[1];
  if (device !== 'cpu' || value('tree_method') !== 'hist' || train.rows * train.cols < BINNED_FROM_CELLS) return null;
  return { maxBin: Number(value('max_bin') ?? 256) };
}

/** The nthread the booster will use, for building its matrices too; 0 when unset (every core). */
function nativeThreads(native: [string, string][]): number {
  const nthread = native.find(([name]) => name === 'nthread');
  return nthread ? Number(nthread[1]) : 0;
}

function roundEvent(round: number, totalRounds: number, scores: EvalResult, hasValidation: boolean): XGBoostRoundEvent {
  const rename = (metrics: Record<string, number>) =>
    Object.fromEntries(Object.entries(metrics).map(([k, v]) => [metricName(k), v]));
  return {
    round,
    totalRounds,
    train: rename(scores.train ?? {}),
    validation: hasValidation ? rename(scores.validation ?? {}) : null,
  };
}

// Stored on the booster so checkpoints carry early-stopping state across a resume.
function recordBest(booster: Booster, tracker: BestRoundTracker): void {
  if (tracker.bestRound === null) return;
  booster.setAttr(BEST_ITERATION_ATTR, String(tracker.bestRound - 1));
  booster.setAttr(BEST_SCORE_ATTR, String(tracker.bestScore));
}
