import type { Task } from '@trainyard/contracts';
import type { Frame } from '../data/frame';
import type { Matrix } from '../matrix';
import type { ClassDistribution } from './class-distribution';
import type { PreprocessPlan } from './preprocess-plan';

/** Model-ready matrices for one job, with the plan that produced them. */
export interface PreparedData {
  task: Task;
  featureNames: string[];
  classLabels: string[] | null;
  plan: PreprocessPlan;
  train: Matrix;
  /** Null when validationSize is 0 (or rounds to no rows). */
  validation: Matrix | null;
  test: Matrix;
  /** Rows dropped because their target was missing. */
  droppedRows: number;
  /** Per-class weights behind the matrices' `weights`, when classWeights was set. */
  classWeights?: number[];
  /** Classification: rows per class and the imbalance ratio (and the training counts after oversampling). */
  classDistribution?: ClassDistribution;
  /** The source frame's row behind each matrix row, so raw rows can be scored again (e.g. by the exported model). */
  frameRows?: { train: Int32Array; validation: Int32Array; test: Int32Array };
  /** Raw test rows to check an exported model against the engine, without the whole frame (see paritySample()). */
  paritySample?: ParitySample;
  /** The time column's value on each training row, for expanding-window cross-validation. */
  trainTimes?: Float64Array;
}

/** Raw rows as a caller would send them to the exported model, and which of them are the first test rows. */
export interface ParitySample {
  /** In time order with enough history before the checked rows when the plan has time features, else the rows alone. */
  frame: Frame;
  /** For test-matrix rows 0..pick.length-1, the row of `frame` that is its raw form. */
  pick: Int32Array;
}
