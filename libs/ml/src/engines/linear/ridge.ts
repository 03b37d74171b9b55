import { MlError } from '../../errors';
import { choleskySolve } from './cholesky';
import type { LinearData } from './linear-data';

export interface RidgeSolution {
  weights: Float64Array;
  intercept: number;
}

/** Jitter tries, each 100× the last, when XᵀX + λI is numerically singular (λ = 0 with collinear columns). */
const JITTER_TRIES = 6;

/**
 * Minimises ½Σ sᵢ(yᵢ − xᵢw − b)² + λ/2·‖w‖² (sᵢ the sample weights) in closed form. Centring X and y leaves the intercept out of the penalty
 * and keeps the normal equations well conditioned.
 */
export function fitRidge(data: LinearData, l2: number, fitIntercept: boolean): RidgeSolution {
  const { rows, cols, x, labels, weights, totalWeight } = data;
  const mean = new Float64Array(cols);
  let yMean = 0;
  if (fitIntercept) {
    for (let i = 0; i < rows; i++) {
      const w = weights ? weights[i]! : 1;
      for (let f = 0; f < cols; f++) mean[f] = mean[f]! + w * x[i * cols + f]!;
      yMean += w * labels[i]!;
    }
    for (let f = 0; f < cols; f++) mean[f] = mean[f]! / totalWeight;
    yMean /= totalWeight;
  }
  const gram = new Float64Array(cols * cols);
  const rhs = new Float64Array(cols);
  const centred = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < cols; f++) centred[f] = x[i * cols + f]! - mean[f]!;
    const w = weights ? weights[i]! : 1;
    const y = labels[i]! - yMean;
    for (let j = 0; j < cols; j++) {
      const cj = w * centred[j]!;
      if (cj === 0) continue;
      rhs[j] = rhs[j]! + cj * y;
      for (let k = 0; k <= j; k++) gram[j * cols + k] = gram[j * cols + k]! + cj * centred[k]!;
    }
  }
  let trace = 0;
  for (let j = 0; j < cols; j++) trace += gram[j * cols + j]!;
  let jitter = 0;
  for (let attempt = 0; attempt <= JITTER_TRIES; attempt++) {
    const a = Float64Array.from(gram);
    for (let j = 0; j < cols; j++) a[j * cols + j] = a[j * cols + j]! + l2 + jitter;
    const weights = choleskySolve(a, rhs, cols);
    if (weights) {
      let intercept = yMean;
      for (let f = 0; f < cols; f++) intercept -= mean[f]! * weights[f]!;
      return { weights, intercept };
    }
    jitter = jitter === 0 ? 1e-10 * (trace / Math.max(1, cols) + 1) : jitter * 100;
  }
  throw new MlError('TRAINING_FAILED', 'Ridge normal equations are singular; increase l2');
}
