import type { Task } from '@trainyard/contracts';
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
}
