import type { Task } from '@trainyard/contracts';
import type { Matrix } from '../../matrix';
import { linearFamily } from '../linear/linear-family';
import { memberFamily } from './ensemble-members';
import type { EnsembleModel } from './ensemble-model';

/** Columns each member contributes to the meta-model: P(class 1) for binary, all K probabilities for multiclass, the value for regression. */
export function stackedWidth(task: Task, numClasses: number): number {
  return task === 'regression' || numClasses === 2 ? 1 : numClasses;
}

/** Members' predict outputs side by side as the meta-model's feature matrix, member-major within each row. */
export function stackedFeatures(outputs: Float32Array[], task: Task, numClasses: number, m: Pick<Matrix, 'rows' | 'labels' | 'weights'>): Matrix {
  const width = stackedWidth(task, numClasses);
  const cols = outputs.length * width;
  const data = new Float32Array(m.rows * cols);
  outputs.forEach((out, i) => {
    for (let r = 0; r < m.rows; r++) {
      for (let k = 0; k < width; k++) {
        // Binary outputs are [1−p, p] per row: keep p.
        data[r * cols + i * width + k] = numClasses === 2 && task === 'classification' ? out[2 * r + 1]! : out[r * width + k]!;
      }
    }
  });
  return { rows: m.rows, cols, data, labels: m.labels, weights: m.weights };
}

/** Σ weights[i]·outputs[i], accumulated in float64 and rounded once. */
export function weightedAverage(outputs: Float32Array[], weights: number[]): Float32Array {
  const sum = new Float64Array(outputs[0]!.length);
  outputs.forEach((out, i) => {
    const w = Math.fround(weights[i]!);
    for (let j = 0; j < sum.length; j++) sum[j]! += w * out[j]!;
  });
  return Float32Array.from(sum);
}

/** The ensemble's published predictions from its members' outputs on the same rows. */
export async function combineOutputs(model: EnsembleModel, outputs: Float32Array[], rows: number): Promise<Float32Array> {
  if (model.method === 'stacking' && model.meta) {
    const features = stackedFeatures(outputs, model.task, model.numClasses, { rows, labels: new Float32Array(rows) });
    return linearFamily.predict(model.meta, features, model.numClasses);
  }
  return weightedAverage(outputs, model.weights);
}

export async function memberOutputs(model: Pick<EnsembleModel, 'members' | 'numClasses'>, m: Matrix): Promise<Float32Array[]> {
  const outputs: Float32Array[] = [];
  for (const member of model.members) outputs.push(await memberFamily(member.type).predict(member.model, m, model.numClasses));
  return outputs;
}
