import { join } from 'node:path';
import type { Matrix } from '@trainyard/ml';
import { mlpFamily, rocAuc } from '@trainyard/ml';
import { readFloat32File, rowRange, writeMatrixFile } from './matrix-file';
import { runPeer } from './python-peer';
import { fmt, percentile, report } from './stats';

export interface MlpSpec {
  hiddenLayers: number[];
  activation: 'relu' | 'tanh';
  learningRate: number;
  epochs: number;
  batchSize: number;
  seed: number;
  threads: number;
}

interface Side {
  seconds: number;
  accuracy: number;
  auc: number;
}

export interface MlpComparison {
  trainyard: Side;
  sklearn: Side;
}

/**
 * Trainyard's MLP family (TF.js WASM) vs MLPClassifier on the same rows: Adam, no L2, no dropout, no early stop.
 * Both score the same test rows; accuracy and AUC are computed here from each side's P(class 1).
 */
export async function compareMlp(train: Matrix, test: Matrix, spec: MlpSpec, repeats: number, dir: string): Promise<MlpComparison> {
  const params = { hiddenLayers: spec.hiddenLayers, activation: spec.activation, learningRate: spec.learningRate, epochs: spec.epochs, batchSize: spec.batchSize, l2: 0, dropout: 0, seed: spec.seed };
  const fit = (m: Matrix, p: Record<string, unknown>) => mlpFamily.train({ task: 'classification', numClasses: 2, train: m, validation: null, params: p });
  // Loads TF.js and compiles its WASM once, outside the timing, as a long-running worker would have.
  await fit(rowRange(train, 0, Math.min(train.rows, 1024)), { ...params, epochs: 1 });

  const trainPath = await writeMatrixFile(join(dir, 'mlp.train.bin'), train);
  const testPath = await writeMatrixFile(join(dir, 'mlp.test.bin'), test);
  const predictionsPath = join(dir, 'mlp.peer-predictions.bin');
  const ours: number[] = [];
  const theirs: number[] = [];
  let model: Uint8Array | null = null;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    model = (await fit(train, params)).model;
    ours.push((performance.now() - t0) / 1000);
    theirs.push((await runPeer<{ trainSeconds: number }>('mlp_train.py', [trainPath, testPath, JSON.stringify(spec), predictionsPath])).trainSeconds);
  }
  const rows = await mlpFamily.predict(model!, test, 2);
  const ourPositive = Float32Array.from({ length: test.rows }, (_, i) => rows[2 * i + 1]!);
  return {
    trainyard: { seconds: percentile(ours, 50), ...quality(test, ourPositive) },
    sklearn: { seconds: percentile(theirs, 50), ...quality(test, await readFloat32File(predictionsPath)) },
  };
}

export function reportMlp(c: MlpComparison): void {
  const { trainyard: t, sklearn: s } = c;
  report('train time Trainyard / sklearn (s)', `${fmt(t.seconds)} / ${fmt(s.seconds)}`);
  report('time ratio Trainyard / sklearn', fmt(t.seconds / s.seconds, 2));
  report('test accuracy Trainyard / sklearn', `${fmt(t.accuracy, 4)} / ${fmt(s.accuracy, 4)}`);
  report('test rocAuc Trainyard / sklearn', `${fmt(t.auc, 4)} / ${fmt(s.auc, 4)}`);
}

function quality(m: Matrix, positive: Float32Array): { accuracy: number; auc: number } {
  let correct = 0;
  for (let i = 0; i < m.rows; i++) if ((positive[i]! >= 0.5 ? 1 : 0) === m.labels[i]) correct++;
  return { accuracy: correct / m.rows, auc: rocAuc(Array.from(m.labels, (y) => y === 1), positive) ?? NaN };
}
