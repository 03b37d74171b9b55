import { MlError } from '../errors';

export interface RegressionMetrics {
  mae: number;
  rmse: number;
  /** Mean absolute percentage error as a fraction (0.1 = 10%), over non-zero targets; null if every target is 0. */
  mape: number | null;
  r2: number;
}

/** Error metrics accumulated in float64 whatever the input precision. */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  const n = yTrue.length;
  if (yPred.length !== n) throw new MlError('INTERNAL', `Expected ${n} predictions, got ${yPred.length}`);
  if (n === 0) throw new MlError('INSUFFICIENT_DATA', 'regressionMetrics needs at least one row');
  let absSum = 0;
  let sqSum = 0;
  let pctSum = 0;
  let pctCount = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let totalSq = 0;
  for (let i = 0; i < n; i++) {
    const y = yTrue[i]!;
    const err = yPred[i]! - y;
    absSum += Math.abs(err);
    sqSum += err * err;
    totalSq += (y - mean) ** 2;
    if (y !== 0) {
      pctSum += Math.abs(err / y);
      pctCount++;
    }
  }
  // Constant targets: scikit-learn's convention, 1 for a perfect fit and 0 otherwise.
  const r2 = totalSq > 0 ? 1 - sqSum / totalSq : sqSum === 0 ? 1 : 0;
  return { mae: absSum / n, rmse: Math.sqrt(sqSum / n), mape: pctCount ? pctSum / pctCount : null, r2 };
}
