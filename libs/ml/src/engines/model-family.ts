import type { ModelType, Task } from '@trainyard/contracts';
import type { Matrix } from '../matrix';
import type { TrainingMode } from './training-mode';

export interface ParamIssue {
  field: string;
  message: string;
}

export interface RoundEvent {
  /** 1-based count of rounds (or epochs) the model now holds; continues from a checkpoint's count. */
  round: number;
  totalRounds: number;
  /** Loss and metrics on the training rows, e.g. { logLoss } or { rmse }. */
  train: Record<string, number>;
  validation: Record<string, number> | null;
}

export interface FamilyTrainOptions {
  task: Task;
  /** 0 for regression. */
  numClasses: number;
  train: Matrix;
  validation?: Matrix | null;
  /** The family's camelCase params, already validated. */
  params: Record<string, unknown>;
  device?: 'cpu' | 'gpu';
  /**
   * A metric (API name, e.g. rocAuc) to evaluate on every round too, where the engine can, so a study's pruner
   * judges trials by its objective rather than by the training loss. Early stopping still watches the loss.
   */
  watchMetric?: string;
  /** A checkpoint written by onCheckpoint, to continue from (of this run, whatever its mode). */
  startFrom?: Uint8Array | null;
  /** How the run builds on `initModel`; 'full' (the default) ignores it. See TRAINING_MODES. */
  mode?: TrainingMode;
  /** The parent model's bytes, as this family's train returned them (an ensemble's for ensemble_update). */
  initModel?: Uint8Array | null;
  /** transfer: how many of the parent's first layers keep their weights (MLP: hidden layers; LSTM: 1 is the LSTM layer). */
  freezeLayers?: number;
  /** Called after every round or epoch; 'stop' ends training between rounds and marks it cancelled. */
  onRound?: (e: RoundEvent) => Promise<'continue' | 'stop'> | 'continue' | 'stop';
  checkpointEvery?: number;
  onCheckpoint?: (model: Uint8Array, round: number) => Promise<void>;
  /** Asked at each `checkpointEvery` boundary: false skips that checkpoint, serialisation included. */
  checkpointDue?: (round: number) => boolean;
}

/** Whether to hand the model to onCheckpoint after `round`: at a multiple of checkpointEvery, if the caller wants it. */
export function checkpointNow<O extends Pick<FamilyTrainOptions, 'checkpointEvery' | 'onCheckpoint' | 'checkpointDue'>>(
  opts: O,
  round: number,
): opts is O & Required<Pick<FamilyTrainOptions, 'onCheckpoint'>> {
  return !!opts.checkpointEvery && !!opts.onCheckpoint && round % opts.checkpointEvery === 0 && (opts.checkpointDue?.(round) ?? true);
}

export interface FamilyTrainResult {
  /** The engine's own serialised model, as `predict` and `toOnnx` take it. */
  model: Uint8Array;
  rounds: number;
  bestRound: number | null;
  stoppedEarly: boolean;
  cancelled: boolean;
  /** e.g. "xgboost 3.2.0" goes into lineage as engine + engineVersion. */
  engine: string;
  engineVersion: string;
  /** One value per feature index, normalised to sum to 1 (0s when the family has no notion of it). */
  featureImportance: number[];
}

export interface OnnxCoreOptions {
  featureCount: number;
  task: Task;
  classLabels: string[] | null;
}

/**
 * One model family on its engine. Every family takes the same dense float matrix and exports an ONNX model
 * with input `features` float[N, featureCount] and outputs `label` int64[N] + `probabilities` float[N, K]
 * (classification) or `variable` float[N, 1] (regression).
 */
export interface ModelFamily {
  type: ModelType;
  /** Families that cannot take missing values or unscaled inputs get imputed, standardised features (trees keep NaN). */
  needsScaledInputs?: boolean;
  /**
   * When the answer depends on params (an ensemble with a linear member); callers prefer it over `needsScaledInputs`:
   * `family.needsScaledInputsFor?.(params) ?? family.needsScaledInputs`.
   */
  needsScaledInputsFor?(params: Record<string, unknown>): boolean;
  validateParams(params: Record<string, unknown>): ParamIssue[];
  /**
   * The (validated) params as training uses them: every default filled in, camelCase, for the job and its lineage to
   * record. `hasValidation`: whether the training gets validation rows (networks stop early only with them).
   */
  resolvedParams(params: Record<string, unknown>, context: { hasValidation: boolean }): Record<string, unknown>;
  train(opts: FamilyTrainOptions): Promise<FamilyTrainResult>;
  /** Classification: probabilities, row-major [N, K] (K = 2 for binary); regression: one value per row. */
  predict(model: Uint8Array, m: Matrix, numClasses: number): Promise<Float32Array>;
  toOnnx(model: Uint8Array, opts: OnnxCoreOptions): Uint8Array;
}
