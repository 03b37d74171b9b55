import type { Task } from '@trainyard/contracts';
import type { Matrix } from '../matrix';
import { seededRandom } from '../preprocess/seeded-random';
import { classificationMetrics, type ClassificationMetrics } from './classification-metrics';
import { regressionMetrics, type RegressionMetrics } from './regression-metrics';

/** Rows scored for training metrics; past it a seeded sample keeps the cost of a large training set bounded. */
export const TRAIN_METRICS_MAX_ROWS = 20_000;

export interface TrainMetricsOptions {
  task: Task;
  classLabels: string[] | null;
  /** Scores rows as the family's predict does: probabilities [rows, K] or one value per row. */
  predict: (m: Matrix) => Promise<Float32Array>;
  maxRows?: number;
  seed?: number;
}

export interface TrainMetrics {
  metrics: ClassificationMetrics | RegressionMetrics;
  /** Rows scored: all of them, or the sample's size. */
  rows: number;
  sampled: boolean;
}

/**
 * Metrics on the training split, to set beside validation and test metrics (a large gap is overfitting). Sampled rows
 * keep their order, so families that read rows in time order see them as they were.
 */
export async function trainMetrics(train: Matrix, opts: TrainMetricsOptions): Promise<TrainMetrics> {
  const max = opts.maxRows ?? TRAIN_METRICS_MAX_ROWS;
  const sampled = train.rows > max;
  const m = sampled ? sampleRows(train, max, opts.seed ?? 0) : train;
  const predicted = await opts.predict(m);
  const metrics = opts.task === 'regression' ? regressionMetrics(m.labels, predicted) : classificationMetrics(m.labels, predicted, opts.classLabels!);
  return { metrics, rows: m.rows, sampled };
}

/** `count` distinct rows chosen uniformly (seeded), in their original order. */
export function sampleRows(m: Matrix, count: number, seed: number): Matrix {
  const random = seededRandom(seed);
  // Selection sampling (Knuth's algorithm S): one pass, rows stay in order.
  const rows = new Int32Array(count);
  for (let r = 0, taken = 0; r < m.rows && taken < count; r++) {
    if (random() * (m.rows - r) < count - taken) rows[taken++] = r;
  }
  const data = new Float32Array(count * m.cols);
  rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
  const out: Matrix = { rows: count, cols: m.cols, data, labels: Float32Array.from(rows, (r) => m.labels[r]!) };
  if (m.weights) out.weights = Float32Array.from(rows, (r) => m.weights![r]!);
  return out;
}
