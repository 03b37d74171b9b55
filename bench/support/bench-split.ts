import { join } from 'node:path';
import type { Matrix } from '@trainyard/ml';
import { seededRandom } from '@trainyard/ml';
import { pickRows, rowRange, writeMatrixFile } from './matrix-file';

/** Train / validation / test matrices, also written as matrix files so a peer reads exactly the same rows. */
export interface BenchSplit {
  name: string;
  train: Matrix;
  validation: Matrix;
  test: Matrix;
  paths: { train: string; validation: string; test: string };
}

/** Splits rows in order (for i.i.d. synthetic rows) or after a seeded shuffle (for a real dataset stored sorted). */
export async function splitAndSave(dir: string, name: string, m: Matrix, fractions: [number, number], shuffle: boolean): Promise<BenchSplit> {
  const source = shuffle ? pickRows(m, shuffledIndices(m.rows, 42)) : m;
  const trainEnd = Math.round(m.rows * fractions[0]);
  const validationEnd = trainEnd + Math.round(m.rows * fractions[1]);
  const train = rowRange(source, 0, trainEnd);
  const validation = rowRange(source, trainEnd, validationEnd);
  const test = rowRange(source, validationEnd, m.rows);
  const path = (part: string) => join(dir, `${name}.${part}.bin`);
  return {
    name,
    train,
    validation,
    test,
    paths: {
      train: await writeMatrixFile(path('train'), train),
      validation: await writeMatrixFile(path('validation'), validation),
      test: await writeMatrixFile(path('test'), test),
    },
  };
}

function shuffledIndices(n: number, seed: number): Uint32Array {
  const random = seededRandom(seed);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
