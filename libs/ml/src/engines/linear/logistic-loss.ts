import type { LinearData } from './linear-data';

/**
 * Σ (sample-weighted) cross-entropy over rows for coefficients laid out as W (cols×outputs, feature-major) then the intercepts;
 * outputs = 1 is binary logistic, otherwise softmax. Adds ∂/∂coefficients into `grad` when given.
 */
export function crossEntropySum(data: LinearData, coefs: Float64Array, outputs: number, grad: Float64Array | null): number {
  const { rows, cols, x, labels, weights } = data;
  const biasAt = cols * outputs;
  const z = new Float64Array(outputs);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let k = 0; k < outputs; k++) z[k] = coefs[biasAt + k]!;
    for (let f = 0; f < cols; f++) {
      const v = x[row + f]!;
      if (v === 0) continue;
      const w = f * outputs;
      for (let k = 0; k < outputs; k++) z[k] = z[k]! + v * coefs[w + k]!;
    }
    const y = labels[i]!;
    const weight = weights ? weights[i]! : 1;
    if (outputs === 1) {
      const margin = z[0]!;
      // softplus(z) − y·z without overflow for large |z|.
      total += weight * (Math.max(margin, 0) + Math.log1p(Math.exp(-Math.abs(margin))) - y * margin);
      z[0] = weight * (sigmoid(margin) - y);
    } else {
      let max = -Infinity;
      for (let k = 0; k < outputs; k++) max = Math.max(max, z[k]!);
      let sum = 0;
      for (let k = 0; k < outputs; k++) sum += Math.exp(z[k]! - max);
      const logSum = max + Math.log(sum);
      total += weight * (logSum - z[y]!);
      for (let k = 0; k < outputs; k++) z[k] = weight * (Math.exp(z[k]! - logSum) - (k === y ? 1 : 0));
    }
    if (!grad) continue;
    for (let f = 0; f < cols; f++) {
      const v = x[row + f]!;
      if (v === 0) continue;
      const w = f * outputs;
      for (let k = 0; k < outputs; k++) grad[w + k] = grad[w + k]! + v * z[k]!;
    }
    for (let k = 0; k < outputs; k++) grad[biasAt + k] = grad[biasAt + k]! + z[k]!;
  }
  return total;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
