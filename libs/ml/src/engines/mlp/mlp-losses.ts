import type { Task } from '@trainyard/contracts';
import type * as tfTypes from '@tensorflow/tfjs';
import type { Tf } from './tfjs-wasm';

/**
 * The reported metric from raw network outputs, in float64 and weighted by any sample weights: mean log loss (binary: one logit per row; multiclass:
 * one per class) or RMSE in the target's own units.
 */
export function reportedLoss(
  task: Task,
  numClasses: number,
  logits: Float32Array,
  m: { labels: Float32Array; weights?: Float32Array },
  target: { mean: number; std: number } | null,
): number {
  const { labels, weights } = m;
  const rows = labels.length;
  const weight = (i: number) => (weights ? weights[i]! : 1);
  let totalWeight = 0;
  for (let i = 0; i < rows; i++) totalWeight += weight(i);
  let total = 0;
  if (task === 'regression') {
    const { mean, std } = target ?? { mean: 0, std: 1 };
    for (let i = 0; i < rows; i++) total += weight(i) * (logits[i]! * std + mean - labels[i]!) ** 2;
    return Math.sqrt(total / totalWeight);
  }
  if (numClasses === 2) {
    for (let i = 0; i < rows; i++) {
      const z = logits[i]!;
      total += weight(i) * (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - labels[i]! * z);
    }
    return total / totalWeight;
  }
  for (let i = 0; i < rows; i++) {
    const row = logits.subarray(i * numClasses, (i + 1) * numClasses);
    let max = -Infinity;
    for (const z of row) max = Math.max(max, z);
    let sum = 0;
    for (const z of row) sum += Math.exp(z - max);
    total += weight(i) * (max + Math.log(sum) - row[labels[i]!]!);
  }
  return total / totalWeight;
}

/** Mean and standard deviation (1 when constant) of regression targets. */
export function targetScale(labels: Float32Array): { mean: number; std: number } {
  let mean = 0;
  for (const y of labels) mean += y;
  mean /= labels.length;
  let variance = 0;
  for (const y of labels) variance += (y - mean) ** 2;
  const std = Math.sqrt(variance / labels.length);
  return { mean: Math.fround(mean), std: Math.fround(std > 1e-12 ? std : 1) };
}

/**
 * A batch's training loss as a tf scalar: mean squared error on the standardised target, sigmoid cross-entropy on one
 * logit, or softmax cross-entropy on one-hot rows. Weighted batches average over Σ weights, so class weights rebalance
 * without changing the step size.
 */
export function batchLoss(tf: Tf, task: Task, ys: tfTypes.Tensor2D, logits: tfTypes.Tensor2D, ws: tfTypes.Tensor2D | null): tfTypes.Scalar {
  const mean = tf.Reduction.MEAN;
  if (task === 'regression') return ws ? tf.losses.meanSquaredError(ys, logits, ws, mean) : tf.losses.meanSquaredError(ys, logits);
  if (ys.shape[1] === 1) return ws ? tf.losses.sigmoidCrossEntropy(ys, logits, ws, 0, mean) : tf.losses.sigmoidCrossEntropy(ys, logits);
  return ws ? tf.losses.softmaxCrossEntropy(ys, logits, tf.reshape(ws, [ws.shape[0]]), 0, mean) : tf.losses.softmaxCrossEntropy(ys, logits);
}
