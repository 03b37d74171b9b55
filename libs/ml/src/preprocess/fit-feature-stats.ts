import type { PreprocessPlan } from './preprocess-plan';
import { applyFeatureStats } from './apply-feature-stats';

export interface FeatureStatsOptions {
  impute: boolean;
  scaling: boolean;
}

export type FeatureStats = Pick<PreprocessPlan, 'imputeValues' | 'scaling'>;

/**
 * Fits per-column imputation (median; most frequent value for category codes and booleans) and standard scaling
 * on the encoded training rows. Scaling is fitted after imputation, as it is applied.
 */
export function fitFeatureStats(plan: PreprocessPlan, train: Float32Array, opts: FeatureStatsOptions): FeatureStats {
  const cols = plan.featureNames.length;
  const kinds = featureKinds(plan);
  const stats: FeatureStats = {};
  let data = train;
  if (opts.impute) {
    stats.imputeValues = kinds.map((kind, c) => {
      const present = presentValues(data, cols, c);
      return Math.fround(kind === 'category' || kind === 'boolean' ? mostFrequent(present) : median(present));
    });
    data = applyFeatureStats({ ...plan, imputeValues: stats.imputeValues }, Float32Array.from(data));
  }
  if (opts.scaling) {
    const mean: number[] = [];
    const std: number[] = [];
    for (let c = 0; c < cols; c++) {
      const present = presentValues(data, cols, c);
      const m = present.length > 0 ? present.reduce((a, b) => a + b, 0) / present.length : 0;
      const variance = present.length > 0 ? present.reduce((a, b) => a + (b - m) ** 2, 0) / present.length : 0;
      const s = Math.fround(Math.sqrt(variance));
      mean.push(Math.fround(m));
      // A constant column would divide by zero; leaving it unscaled keeps it constant.
      std.push(s > 0 && Number.isFinite(s) ? s : 1);
    }
    stats.scaling = { mean, std };
  }
  return stats;
}

/** The transform kind behind each matrix column, in featureNames order. */
function featureKinds(plan: PreprocessPlan): string[] {
  const transformed = plan.transforms.flatMap((t) => (t.kind === 'datetime' ? t.parts.map(() => t.kind) : [t.kind]));
  return [...transformed, ...(plan.timeFeatures ?? []).map(() => 'numeric')];
}

function presentValues(data: Float32Array, cols: number, c: number): number[] {
  const values: number[] = [];
  for (let i = c; i < data.length; i += cols) if (!Number.isNaN(data[i])) values.push(data[i]);
  return values;
}

/** 0 for a column with no values at all, so imputation still yields a number. */
function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Ties go to the smaller value, i.e. the more frequent category code. */
function mostFrequent(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = 0;
  let bestCount = 0;
  for (const [v, n] of counts) {
    if (n > bestCount || (n === bestCount && v < best)) [best, bestCount] = [v, n];
  }
  return best;
}
