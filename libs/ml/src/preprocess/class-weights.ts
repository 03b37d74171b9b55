import { MlError } from '../errors';

/** 'balanced', or a weight per class label (labels left out weigh 1). */
export type ClassWeightsSpec = 'balanced' | Record<string, number>;

/**
 * 'balanced' weights as scikit-learn defines them: rows / (classes present * rows of the class), from the
 * training labels; a class absent from training gets weight 1.
 */
export function balancedClassWeights(trainLabels: Float32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const label of trainLabels) counts[label]++;
  const present = counts.filter((n) => n > 0).length;
  return counts.map((n) => (n > 0 ? trainLabels.length / (present * n) : 1));
}

/** One weight per class index from a spec; a map must name only known labels, with finite positive weights. */
export function classWeightsFor(spec: ClassWeightsSpec, classLabels: string[], trainLabels: Float32Array): number[] {
  if (spec === 'balanced') return balancedClassWeights(trainLabels, classLabels.length);
  const index = new Map(classLabels.map((label, i) => [label, i]));
  const weights = new Array<number>(classLabels.length).fill(1);
  for (const [label, weight] of Object.entries(spec)) {
    const i = index.get(label);
    if (i === undefined) {
      throw new MlError('INVALID_HYPERPARAMETERS', `classWeights names "${label}", which is not a class of the target; classes are ${classLabels.join(', ')}`, { label, classLabels });
    }
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
      throw new MlError('INVALID_HYPERPARAMETERS', `classWeights["${label}"] must be a finite number above 0`, { label });
    }
    weights[i] = weight;
  }
  return weights;
}

export function sampleWeights(labels: Float32Array, classWeights: number[]): Float32Array {
  return Float32Array.from(labels, (label) => classWeights[label]);
}
