import { MlError } from '../errors';

export interface ResidualBin {
  /** Residuals (actual − predicted) in [from, to); the last bin includes `to`. */
  from: number;
  to: number;
  count: number;
}

/** What a regression's errors look like, in a bounded size for the dashboard. */
export interface ResidualSummary {
  count: number;
  /** Mean of actual − predicted: above 0 when the model predicts too low on average. */
  mean: number;
  std: number;
  /** Quantiles of the residuals: p5, p25, median, p75, p95. */
  quantiles: { p5: number; p25: number; p50: number; p75: number; p95: number };
  /** Largest |residual|. */
  maxAbs: number;
  /** An even-width histogram of the residuals between their minimum and maximum. */
  histogram: ResidualBin[];
}

/** Residual statistics in float64; `bins` (at most 200) sets the histogram's resolution. */
export function residualSummary(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, bins = 20): ResidualSummary {
  const n = yTrue.length;
  if (yPred.length !== n) throw new MlError('INTERNAL', `Expected ${n} predictions, got ${yPred.length}`);
  if (n === 0) throw new MlError('INSUFFICIENT_DATA', 'residualSummary needs at least one row');
  const residuals = Float64Array.from({ length: n }, (_, i) => yTrue[i]! - yPred[i]!).sort();
  let mean = 0;
  for (const r of residuals) mean += r;
  mean /= n;
  let variance = 0;
  for (const r of residuals) variance += (r - mean) ** 2;
  const min = residuals[0]!;
  const max = residuals[n - 1]!;
  const quantile = (q: number) => {
    const at = q * (n - 1);
    const low = Math.floor(at);
    return residuals[low]! + (residuals[Math.min(n - 1, low + 1)]! - residuals[low]!) * (at - low);
  };
  return {
    count: n,
    mean,
    std: Math.sqrt(variance / n),
    quantiles: { p5: quantile(0.05), p25: quantile(0.25), p50: quantile(0.5), p75: quantile(0.75), p95: quantile(0.95) },
    maxAbs: Math.max(Math.abs(min), Math.abs(max)),
    histogram: histogram(residuals, min, max, Math.max(1, Math.min(200, Math.floor(bins)))),
  };
}

function histogram(sorted: Float64Array, min: number, max: number, bins: number): ResidualBin[] {
  // Every residual equal: one bin holds them all.
  if (max === min) return [{ from: min, to: max, count: sorted.length }];
  const width = (max - min) / bins;
  const out = Array.from({ length: bins }, (_, b) => ({ from: min + b * width, to: b === bins - 1 ? max : min + (b + 1) * width, count: 0 }));
  for (const r of sorted) out[Math.min(bins - 1, Math.floor((r - min) / width))]!.count++;
  return out;
}

/** Up to `max` (actual, predicted) pairs of a regression's test rows, evenly spaced through the rows, for a residual plot. */
export function residualSample(actual: ArrayLike<number>, predicted: ArrayLike<number>, max = 500): { actual: number; predicted: number }[] {
  const n = Math.min(actual.length, predicted.length);
  const step = Math.max(1, n / max);
  const out: { actual: number; predicted: number }[] = [];
  for (let x = 0; x < n && out.length < max; x += step) {
    const i = Math.floor(x);
    if (Number.isFinite(actual[i]) && Number.isFinite(predicted[i])) out.push({ actual: actual[i], predicted: predicted[i] });
  }
  return out;
}
