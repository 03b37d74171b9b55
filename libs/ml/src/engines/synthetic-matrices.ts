import type { Matrix } from '../matrix';

/** Deterministic uniform [0, 1) generator (mulberry32), so specs and benches see the same data every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  rows: number;
  cols: number;
  seed: number;
  /** Share of feature values replaced by NaN. */
  missingRate?: number;
}

/** Features uniform in [-1, 1); the label is computed from the complete (pre-missing) row. */
export function syntheticMatrix(opts: SyntheticOptions, label: (row: Float32Array) => number): Matrix {
  const random = seededRandom(opts.seed);
  const data = new Float32Array(opts.rows * opts.cols);
  const labels = new Float32Array(opts.rows);
  for (let r = 0; r < opts.rows; r++) {
    const row = data.subarray(r * opts.cols, (r + 1) * opts.cols);
    for (let c = 0; c < opts.cols; c++) row[c] = random() * 2 - 1;
    labels[r] = label(row);
    for (let c = 0; c < opts.cols; c++) if (random() < (opts.missingRate ?? 0)) row[c] = Number.NaN;
  }
  return { rows: opts.rows, cols: opts.cols, data, labels };
}

export const binaryLabel = (row: Float32Array): number => (row[0]! + 0.5 * row[1]! > 0 ? 1 : 0);
export const multiclassLabel = (row: Float32Array): number => (row[0]! < -0.3 ? 0 : row[1]! < 0 ? 1 : 2);
export const regressionTarget = (row: Float32Array): number => 3 * row[0]! - 2 * row[1]! * row[1]! + 0.5 * row[2]!;

/** Splits off the last `rows` rows as a held-out matrix. */
export function splitTail(m: Matrix, rows: number): { head: Matrix; tail: Matrix } {
  const cut = m.rows - rows;
  const part = (from: number, to: number): Matrix => ({
    rows: to - from,
    cols: m.cols,
    data: m.data.slice(from * m.cols, to * m.cols),
    labels: m.labels.slice(from, to),
  });
  return { head: part(0, cut), tail: part(cut, m.rows) };
}
