import { seededRandom, type Matrix } from '@trainyard/ml';

/** The HIGGS-shaped binary task of writeSyntheticBinaryCsv, built straight into a float32 matrix (no CSV round trip). */
export function syntheticBinaryMatrix(rows: number, features = 28, seed = 7): Matrix {
  const r = seededRandom(seed);
  const data = new Float32Array(rows * features);
  const labels = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = data.subarray(i * features, (i + 1) * features);
    for (let j = 0; j < features; j++) x[j] = (r() + r() + r() - 1.5) * 2;
    const z = x[0]! * x[1]! - x[2]! + Math.sin(3 * x[3]!) + 0.5 * x[4]! * x[4]! - 0.7 * x[5]! + 0.3 * (x[6]! > 0 ? 1 : -1) + (r() - 0.5) * 2;
    labels[i] = z > 0.4 ? 1 : 0;
  }
  return { rows, cols: features, data, labels };
}
