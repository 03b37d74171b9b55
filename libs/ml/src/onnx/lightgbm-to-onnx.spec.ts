import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../matrix';
import type { Task } from '@trainyard/contracts';
import { dumpLightGBMModel, isLightGBMLeaf, trainLightGBM } from '../engines/lightgbm';
import type { LightGBMModelDump, LightGBMNodeJson } from '../engines/lightgbm';
import { lightgbmFamily } from '../engines/lightgbm/lightgbm-family';
import { randomForestFamily } from '../engines/random-forest-family';
import type { ModelFamily } from '../engines/model-family';
import { binaryLabel, multiclassLabel, regressionTarget, splitTail, syntheticMatrix } from '../engines/synthetic-matrices';
import { floatAtOrBelow, lightgbmToOnnx, maxAbsDiff, scoreOnnx } from './index';

const PARITY = 1e-5;

/** Runs the export; `scores` is probabilities [N, K] or values [N, 1]. */
async function runOnnx(bytes: Uint8Array, m: Matrix): Promise<{ scores: Float32Array; labels: number[] | null }> {
  const out = await scoreOnnx(bytes, m);
  return { scores: (out.probabilities ?? out.values)!, labels: out.labels ? Array.from(out.labels) : null };
}

function nextFloatUp(f: number): number {
  const a = new Float32Array([f]);
  const bits = new Int32Array(a.buffer);
  bits[0] = f >= 0 ? bits[0]! + 1 : bits[0]! - 1;
  return a[0]!;
}

function forEachSplit(dump: LightGBMModelDump, visit: (feature: number, threshold: number) => void): void {
  const walk = (n: LightGBMNodeJson): void => {
    if (isLightGBMLeaf(n)) return;
    visit(n.split_feature, Number(n.threshold));
    walk(n.left_child);
    walk(n.right_child);
  };
  for (const tree of dump.tree_info) walk(tree.tree_structure);
}

/**
 * Held-out rows, rows entirely or partly missing, exact zeros, and for every split rows sitting on the float32
 * neighbours of its double threshold (where rounding it the wrong way flips the branch), LightGBM's zero band and ±Infinity.
 */
function probeRows(m: Matrix, dump: LightGBMModelDump): Matrix {
  const rows: Float32Array[] = [];
  for (let r = 0; r < m.rows; r++) rows.push(m.data.slice(r * m.cols, (r + 1) * m.cols));
  rows.push(new Float32Array(m.cols).fill(Number.NaN), new Float32Array(m.cols).fill(0));
  rows.push(Float32Array.from({ length: m.cols }, (_, c) => (c % 2 ? Number.NaN : 0.25)));
  forEachSplit(dump, (feature, threshold) => {
    const near = Math.fround(threshold);
    for (const v of [near, floatAtOrBelow(threshold), nextFloatUp(near), Number.NaN, 0, -1e-35, Infinity, -Infinity]) {
      const row = Float32Array.from({ length: m.cols }, (_, c) => (c * 0.37) % 1);
      row[feature] = v;
      rows.push(row);
    }
  });
  const data = new Float32Array(rows.length * m.cols);
  rows.forEach((row, i) => data.set(row, i * m.cols));
  return { rows: rows.length, cols: m.cols, data, labels: new Float32Array(rows.length) };
}

interface ParityCase {
  family: ModelFamily;
  task: Task;
  numClasses: number;
  make: () => Matrix;
  params: Record<string, unknown>;
}

async function parity(c: ParityCase, name: string): Promise<void> {
  const { head, tail } = splitTail(c.make(), 300);
  const trained = await c.family.train({ task: c.task, numClasses: c.numClasses, train: head, params: c.params });
  const test = probeRows(tail, dumpLightGBMModel(trained.model));
  const expected = await c.family.predict(trained.model, test, c.numClasses);
  const onnx = c.family.toOnnx(trained.model, { featureCount: head.cols, task: c.task, classLabels: null });
  const { scores, labels } = await runOnnx(onnx, test);
  const diff = maxAbsDiff(scores, expected);
  console.log(`${name} parity max abs diff ${diff} over ${test.rows} rows`);
  assert.ok(diff <= PARITY, `${name}: ${diff}`);
  if (c.task === 'classification') {
    const k = c.numClasses;
    const argmax = Array.from({ length: test.rows }, (_, r) => {
      const row = Array.from(expected.subarray(r * k, r * k + k));
      return row.indexOf(Math.max(...row));
    });
    const disagreements = argmax.filter((a, r) => a !== labels![r]).length;
    assert.equal(disagreements, 0, `${name}: ${disagreements} labels differ`);
  }
}

const data = {
  binary: () => syntheticMatrix({ rows: 1500, cols: 6, seed: 11, missingRate: 0.15 }, binaryLabel),
  multiclass: () => syntheticMatrix({ rows: 1500, cols: 5, seed: 12, missingRate: 0.1 }, multiclassLabel),
  regression: () => syntheticMatrix({ rows: 1500, cols: 4, seed: 13, missingRate: 0.1 }, (row) => 5 + regressionTarget(row)),
};

describe('lightgbmToOnnx parity with LightGBM', () => {
  it('binary (gbdt)', () => parity({ family: lightgbmFamily, task: 'classification', numClasses: 2, make: data.binary, params: { numRounds: 40 } }, 'binary'));
  it('multiclass (gbdt)', () => parity({ family: lightgbmFamily, task: 'classification', numClasses: 3, make: data.multiclass, params: { numRounds: 30 } }, 'multiclass'));
  it('regression (gbdt)', () => parity({ family: lightgbmFamily, task: 'regression', numClasses: 0, make: data.regression, params: { numRounds: 60 } }, 'regression'));
  it('binary (rf)', () => parity({ family: randomForestFamily, task: 'classification', numClasses: 2, make: data.binary, params: { numTrees: 60 } }, 'rf binary'));
  it('multiclass (rf)', () => parity({ family: randomForestFamily, task: 'classification', numClasses: 3, make: data.multiclass, params: { numTrees: 40 } }, 'rf multiclass'));
  it('regression (rf)', () => parity({ family: randomForestFamily, task: 'regression', numClasses: 0, make: data.regression, params: { numTrees: 60 } }, 'rf regression'));

  it('NaN in features that had none in training (missing_type None reads NaN as 0)', async () => {
    const train = syntheticMatrix({ rows: 1200, cols: 4, seed: 21 }, binaryLabel);
    const trained = await lightgbmFamily.train({ task: 'classification', numClasses: 2, train, params: { numRounds: 30 } });
    const dump = dumpLightGBMModel(trained.model);
    const test = probeRows(syntheticMatrix({ rows: 300, cols: 4, seed: 22, missingRate: 0.3 }, binaryLabel), dump);
    const expected = await lightgbmFamily.predict(trained.model, test, 2);
    const { scores } = await runOnnx(lightgbmFamily.toOnnx(trained.model, { featureCount: 4, task: 'classification', classLabels: null }), test);
    const diff = maxAbsDiff(scores, expected);
    console.log(`missing_type None parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY);
  });

  // LightGBM only writes missing_type Zero with zero_as_missing; rewrite a model's decision types to get one.
  it('missing_type Zero: zeros, tiny values and NaN take the default side', async () => {
    const train = syntheticMatrix({ rows: 1200, cols: 4, seed: 23 }, binaryLabel);
    const trained = await trainLightGBM({ task: 'classification', numClasses: 2, train, params: { numRounds: 30 } });
    let split = 0;
    const text = Buffer.from(trained.model).toString('utf8').replace(/^decision_type=(.*)$/gm, (_, types: string) => {
      // Bits 2-3 hold the missing type (1 = Zero), bit 1 default_left; alternate default sides. Same digit count, so tree_sizes holds.
      const rewritten = types.split(' ').map((t) => String((Number(t) & ~0b1110) | (1 << 2) | ((split++ % 2) << 1)));
      return `decision_type=${rewritten.join(' ')}`;
    });
    const model = new TextEncoder().encode(text);
    const dump = dumpLightGBMModel(model);
    const held = syntheticMatrix({ rows: 300, cols: 4, seed: 24, missingRate: 0.2 }, binaryLabel);
    held.data = held.data.map((v, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? 1e-36 : i % 13 === 0 ? -1e-36 : v));
    const test = probeRows(held, dump);
    const expected = await lightgbmFamily.predict(model, test, 2);
    const { scores } = await runOnnx(lightgbmToOnnx(dump, { featureCount: 4, task: 'classification', classLabels: null }), test);
    const diff = maxAbsDiff(scores, expected);
    console.log(`missing_type Zero parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY);
  });

  it('binary labels stay right when every leaf value is positive', async () => {
    // A two-class TreeEnsembleClassifier read such ensembles as probabilities; the summed margin must not be.
    const train = syntheticMatrix({ rows: 800, cols: 3, seed: 25 }, binaryLabel);
    const trained = await trainLightGBM({ task: 'classification', numClasses: 2, train, params: { numRounds: 10 } });
    const text = Buffer.from(trained.model).toString('utf8')
      .replace(/^tree_sizes=.*\n/m, '')
      .replace(/^leaf_value=(.*)$/gm, (_, v: string) => `leaf_value=${v.split(' ').map((x) => String(Math.abs(Number(x)) / 10 + 0.001)).join(' ')}`);
    const model = new TextEncoder().encode(text);
    const test = syntheticMatrix({ rows: 300, cols: 3, seed: 26 }, binaryLabel);
    const expected = await lightgbmFamily.predict(model, test, 2);
    const { scores, labels } = await runOnnx(lightgbmFamily.toOnnx(model, { featureCount: 3, task: 'classification', classLabels: null }), test);
    assert.ok(maxAbsDiff(scores, expected) <= PARITY);
    assert.deepEqual(labels, Array.from({ length: test.rows }, (_, r) => (expected[2 * r + 1]! > 0.5 ? 1 : 0)));
  });

  it('rejects a task that does not match the objective and a short featureCount', async () => {
    const train = syntheticMatrix({ rows: 200, cols: 3, seed: 27 }, binaryLabel);
    const trained = await trainLightGBM({ task: 'classification', numClasses: 2, train, params: { numRounds: 3 } });
    const dump = dumpLightGBMModel(trained.model);
    assert.throws(() => lightgbmToOnnx(dump, { featureCount: 3, task: 'regression', classLabels: null }), /objective/);
    assert.throws(() => lightgbmToOnnx(dump, { featureCount: 2, task: 'classification', classLabels: null }), /featureCount/);
  });
});

describe('floatAtOrBelow', () => {
  it('returns the largest float32 at or below a double', () => {
    for (const t of [0.1, -0.1, 1 / 3, -1 / 3, 0.5, 1e-40, -1e-40, 1e300, 3.4028235677973366e38]) {
      const f = floatAtOrBelow(t);
      assert.equal(Math.fround(f), f);
      assert.ok(f <= t, `${f} <= ${t}`);
      assert.ok(nextFloatUp(f) > t, `next float above ${f} exceeds ${t}`);
    }
    assert.equal(floatAtOrBelow(0.5), 0.5);
    assert.equal(floatAtOrBelow(-1e-46), -(2 ** -149));
  });
});
