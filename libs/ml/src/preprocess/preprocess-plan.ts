import type { Task } from '@trainyard/contracts';
import type { ColumnType } from '../data/frame';

export const DATETIME_PARTS = ['epochSeconds', 'year', 'month', 'dayOfWeek'] as const;
export type DatetimePart = (typeof DATETIME_PARTS)[number];

/** How one raw column becomes one or more numeric features. */
export type FeatureTransform =
  | { column: string; kind: 'numeric' }
  | { column: string; kind: 'boolean' }
  /** Code = index in `categories` (most frequent first); unseen or missing values are NaN. */
  | { column: string; kind: 'category'; categories: string[] }
  /** Parts are read in UTC; `epochSeconds` keeps the column's own name, the others are `column.part`. */
  | { column: string; kind: 'datetime'; parts: DatetimePart[] };

/** A feature computed over rows in order: time order in training, the batch's order at prediction. */
export type TimeFeature =
  /** The source column's value `periods` rows earlier; NaN for the first `periods` rows. */
  | { column: string; kind: 'lag'; periods: number }
  /** Mean of this row's value and the `window - 1` before it; NaN without a full window or with a missing value in it. */
  | { column: string; kind: 'rollingMean'; window: number };

/** What a forecasting model was trained to predict; kept in the plan for serving and lineage. */
export interface ForecastSpec {
  /** Each row's prediction is the target this many rows later in time order (within its series). */
  horizon: number;
  timeColumn: string;
  /** Rows are shifted within the series this column names; null when the data is one series. */
  seriesColumn: string | null;
}

/** Everything needed to turn raw rows into model input again at prediction time; plain JSON. */
export interface PreprocessPlan {
  version: 1;
  task: Task;
  target: string;
  /** The raw columns a record must carry, with the types they had in the training data. */
  inputs: { name: string; type: ColumnType }[];
  transforms: FeatureTransform[];
  /** Matrix columns after the transforms' ones; sources are numeric or boolean transforms' columns. */
  timeFeatures?: TimeFeature[];
  /** The column rows are ordered by for `timeFeatures`; callers must send prediction rows in this order. */
  timeColumn?: string;
  /** Names of the matrix columns, in order. */
  featureNames: string[];
  classLabels: string[] | null;
  /** Fill per matrix column for missing values, applied before scaling; absent keeps NaN (trees route it themselves). */
  imputeValues?: number[];
  /** Per matrix column (x - mean) / std from the training split; float32 values so ONNX float math repeats it exactly. */
  scaling?: { mean: number[]; std: number[] };
  /**
   * Set on forecasting models: a record's prediction is the target `horizon` rows after it. The target column may
   * then be an input (its value at the record's time is known).
   */
  forecast?: ForecastSpec;
}

export function transformFeatureNames(transform: FeatureTransform): string[] {
  if (transform.kind !== 'datetime') return [transform.column];
  return transform.parts.map((part) => (part === 'epochSeconds' ? transform.column : `${transform.column}.${part}`));
}

export function timeFeatureName(feature: TimeFeature): string {
  return feature.kind === 'lag' ? `${feature.column}.lag${feature.periods}` : `${feature.column}.rollingMean${feature.window}`;
}

/** How many earlier rows a time feature reads. */
export function lookback(feature: TimeFeature): number {
  return feature.kind === 'lag' ? feature.periods : feature.window - 1;
}
