import type { Task } from '@trainyard/contracts';
import type { Matrix } from '../matrix';
import { seededRandom, shuffleInPlace } from '../preprocess/seeded-random';

export interface CvSplit {
  fold: number;
  /** Row indices into the training matrix. */
  train: Int32Array;
  validate: Int32Array;
}

/** k folds over the training rows; stratified by class for classification so each fold keeps the class mix. */
export function kfoldSplits(labels: Float32Array, k: number, opts: { task: Task; stratify: boolean; seed: number }): CvSplit[] {
  const n = labels.length;
  const fold = new Int32Array(n);
  const random = seededRandom(opts.seed);
  const groups = opts.task === 'classification' && opts.stratify ? byClass(labels) : [Array.from({ length: n }, (_, i) => i)];
  let offset = 0;
  for (const group of groups) {
    shuffleInPlace(group, random);
    // Deal each class round-robin, continuing where the last class stopped so fold sizes stay even.
    group.forEach((row, i) => (fold[row] = (offset + i) % k));
    offset = (offset + group.length) % k;
  }
  return Array.from({ length: k }, (_, f) => ({
    fold: f,
    train: Int32Array.from(indices(fold, (v) => v !== f)),
    validate: Int32Array.from(indices(fold, (v) => v === f)),
  }));
}

/**
 * Expanding-window splits for time series: rows in time order are cut into k + 1 blocks; fold i trains on
 * blocks 0..i and validates on block i + 1, so no fold ever trains on rows later than the ones it is scored on.
 */
export function expandingWindowSplits(timeOrder: ArrayLike<number>, k: number): CvSplit[] {
  const n = timeOrder.length;
  const block = Math.floor(n / (k + 1));
  const splits: CvSplit[] = [];
  for (let f = 0; f < k; f++) {
    const trainEnd = block * (f + 1);
    const validateEnd = f === k - 1 ? n : trainEnd + block;
    splits.push({
      fold: f,
      train: Int32Array.from(Array.from({ length: trainEnd }, (_, i) => timeOrder[i])),
      validate: Int32Array.from(Array.from({ length: validateEnd - trainEnd }, (_, i) => timeOrder[trainEnd + i])),
    });
  }
  return splits;
}

/** The rows of `m` at `rows`, in that order. */
export function subsetMatrix(m: Matrix, rows: Int32Array): Matrix {
  const data = new Float32Array(rows.length * m.cols);
  const labels = new Float32Array(rows.length);
  rows.forEach((row, i) => {
    data.set(m.data.subarray(row * m.cols, (row + 1) * m.cols), i * m.cols);
    labels[i] = m.labels[row];
  });
  const weights = (m as Matrix & { weights?: Float32Array }).weights;
  return weights ? ({ rows: rows.length, cols: m.cols, data, labels, weights: Float32Array.from(rows, (r) => weights[r]) } as Matrix) : { rows: rows.length, cols: m.cols, data, labels };
}

/** Where an expanding-window fold sits in time: values of the time column (epoch ms for datetimes). */
export interface FoldTimeWindow {
  trainFrom: number;
  trainTo: number;
  validateFrom: number;
  validateTo: number;
}

export interface CvSummary {
  folds: number;
  mean: Record<string, number>;
  std: Record<string, number>;
  perFold: Record<string, number>[];
  /** Per fold, for time-series cross-validation. */
  timeWindows?: FoldTimeWindow[];
}

/** Mean and (population) standard deviation of each scalar metric across folds. */
export function summarizeFolds(perFold: Record<string, unknown>[]): CvSummary {
  const scalars = perFold.map((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Record<string, number>);
  const names = [...new Set(scalars.flatMap((m) => Object.keys(m)))].filter((name) => scalars.every((m) => name in m));
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const name of names) {
    const values = scalars.map((m) => m[name]);
    const mu = values.reduce((a, b) => a + b, 0) / values.length;
    mean[name] = mu;
    std[name] = Math.sqrt(values.reduce((a, v) => a + (v - mu) ** 2, 0) / values.length);
  }
  return { folds: perFold.length, mean, std, perFold: scalars };
}

function byClass(labels: Float32Array): number[][] {
  const groups = new Map<number, number[]>();
  labels.forEach((label, row) => {
    const g = groups.get(label);
    if (g) g.push(row);
    else groups.set(label, [row]);
  });
  return [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, rows]) => rows);
}

function indices(values: Int32Array, keep: (v: number) => boolean): number[] {
  const out: number[] = [];
  values.forEach((v, i) => keep(v) && out.push(i));
  return out;
}
