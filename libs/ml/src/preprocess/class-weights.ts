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

export function sampleWeights(labels: Float32Array, classWeights: number[]): Float32Array {
  return Float32Array.from(labels, (label) => classWeights[label]);
}
