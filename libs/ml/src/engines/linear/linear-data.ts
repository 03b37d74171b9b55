/** Training rows as the fitting code reads them: float64 features with missing values already 0. */
export interface LinearData {
  rows: number;
  cols: number;
  x: Float64Array;
  labels: Float32Array;
  /** Per-row sample weights, or null when every row counts once. */
  weights: Float32Array | null;
  /** Σ weights (the row count when unweighted): losses are weighted means over this. */
  totalWeight: number;
}

export function toLinearData(rows: number, cols: number, data: Float32Array, labels: Float32Array, weights: Float32Array | null = null): LinearData {
  const x = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    x[i] = v === v ? v : 0;
  }
  let totalWeight = rows;
  if (weights) {
    totalWeight = 0;
    for (const w of weights) totalWeight += w;
  }
  return { rows, cols, x, labels, weights, totalWeight };
}
