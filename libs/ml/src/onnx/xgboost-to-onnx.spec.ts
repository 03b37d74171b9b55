import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../matrix';
import { predictXGBoost, trainXGBoost } from '../engines/xgboost';
import { binaryLabel, multiclassLabel, regressionTarget, splitTail, syntheticMatrix } from '../engines/synthetic-matrices';
import { maxAbsDiff, scoreOnnx, xgboostToOnnx } from './index';

const PARITY = 1e-5;

/** Held-out rows plus rows that are entirely or partly missing, so default_left paths are exercised. */
function heldOutWithMissing(m: Matrix): Matrix {
  const data = new Float32Array(m.data.length + 3 * m.cols);
  data.set(m.data);
  data.fill(Number.NaN, m.data.length);
  for (let c = 0; c < m.cols; c += 2) data[m.data.length + 2 * m.cols + c] = 0.25;
  return { rows: m.rows + 3, cols: m.cols, data, labels: new Float32Array(m.rows + 3) };
}

function column(values: Float32Array, cols: number, col: number): Float32Array {
  return Float32Array.from({ length: values.length / cols }, (_, r) => values[r * cols + col]!);
}

describe('xgboostToOnnx parity with XGBoost', () => {
  let binary: { model: Uint8Array; test: Matrix };
  before(async () => {
    const { head, tail } = splitTail(syntheticMatrix({ rows: 1500, cols: 6, seed: 11, missingRate: 0.15 }, binaryLabel), 400);
    const trained = await trainXGBoost({ task: 'classification', numClasses: 2, train: head, params: { numRounds: 40, maxDepth: 5 } });
    binary = { model: trained.model, test: heldOutWithMissing(tail) };
  });

  it('binary: probabilities [1-p, p] and labels match XGBoost', async () => {
    const onnx = xgboostToOnnx(binary.model, { featureCount: 6, task: 'classification', classLabels: ['no', 'yes'] });
    const expected = await predictXGBoost(binary.model, binary.test);
    const scores = await scoreOnnx(onnx, binary.test);
    const diff = maxAbsDiff(column(scores.probabilities!, 2, 1), expected);
    const diffNegative = maxAbsDiff(column(scores.probabilities!, 2, 0), expected.map((p) => 1 - p));
    console.log(`binary parity max abs diff ${diff} (class 0: ${diffNegative}) over ${binary.test.rows} rows`);
    assert.ok(diff <= PARITY && diffNegative <= PARITY);
    assert.deepEqual(Array.from(scores.labels!), Array.from(expected, (p) => (p > 0.5 ? 1 : 0)));
  });

  it('binary: stays exact when every leaf weight is positive', async () => {
    // A two-class TreeEnsembleClassifier read such ensembles as probabilities; the summed margin must not be.
    const text = Buffer.from(binary.model).toString('utf8');
    const trees = JSON.parse(text).learner.gradient_booster.model.trees as { left_children: number[]; split_conditions: number[] }[];
    // Rewrite only split_conditions in the text: XGBoost rejects floats re-serialised as JSON integers.
    let t = 0;
    const positive = text.replace(/"split_conditions":\[[^\]]*\]/g, () => {
      const tree = trees[t++]!;
      const values = tree.split_conditions.map((v, n) => (tree.left_children[n] === -1 ? Math.abs(v) + 0.01 : v));
      return `"split_conditions":[${values.map((v) => (Number.isInteger(v) ? v.toFixed(1) : String(v))).join(',')}]`;
    });
    const model = new TextEncoder().encode(positive);
    const expected = await predictXGBoost(model, binary.test);
    const scores = await scoreOnnx(xgboostToOnnx(model, { featureCount: 6, task: 'classification', classLabels: null }), binary.test);
    const diff = maxAbsDiff(column(scores.probabilities!, 2, 1), expected);
    console.log(`binary all-positive-leaves parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY);
  });

  it('multiclass: softmax probabilities match XGBoost', async () => {
    const { head, tail } = splitTail(syntheticMatrix({ rows: 1500, cols: 5, seed: 12, missingRate: 0.1 }, multiclassLabel), 400);
    const trained = await trainXGBoost({ task: 'classification', numClasses: 3, train: head, params: { numRounds: 30 } });
    const test = heldOutWithMissing(tail);
    const expected = await predictXGBoost(trained.model, test);
    const scores = await scoreOnnx(xgboostToOnnx(trained.model, { featureCount: 5, task: 'classification', classLabels: ['a', 'b', 'c'] }), test);
    const diff = maxAbsDiff(scores.probabilities!, expected);
    console.log(`multiclass parity max abs diff ${diff} over ${test.rows} rows`);
    assert.ok(diff <= PARITY);
    for (let r = 0; r < test.rows; r++) {
      const row = Array.from(expected.subarray(r * 3, r * 3 + 3));
      assert.equal(scores.labels![r], row.indexOf(Math.max(...row)));
    }
  });

  it('regression: values [N, 1] match XGBoost including base_score', async () => {
    const shifted = (row: Float32Array) => 5 + regressionTarget(row);
    const { head, tail } = splitTail(syntheticMatrix({ rows: 1500, cols: 4, seed: 13, missingRate: 0.1 }, shifted), 400);
    const trained = await trainXGBoost({ task: 'regression', numClasses: 0, train: head, params: { numRounds: 50, maxDepth: 6 } });
    const test = heldOutWithMissing(tail);
    const expected = await predictXGBoost(trained.model, test);
    const scores = await scoreOnnx(xgboostToOnnx(trained.model, { featureCount: 4, task: 'regression', classLabels: null }), test);
    const diff = maxAbsDiff(scores.values!, expected);
    console.log(`regression parity max abs diff ${diff} over ${test.rows} rows`);
    assert.equal(scores.values!.length, test.rows);
    assert.ok(diff <= PARITY);
  });

  it('regression: large targets agree to float32 precision (absolute error grows with magnitude)', async () => {
    const shifted = (row: Float32Array) => 1000 + 10 * regressionTarget(row);
    const { head, tail } = splitTail(syntheticMatrix({ rows: 1000, cols: 4, seed: 14, missingRate: 0.1 }, shifted), 300);
    const trained = await trainXGBoost({ task: 'regression', numClasses: 0, train: head, params: { numRounds: 50 } });
    const test = heldOutWithMissing(tail);
    const expected = await predictXGBoost(trained.model, test);
    const scores = await scoreOnnx(xgboostToOnnx(trained.model, { featureCount: 4, task: 'regression', classLabels: null }), test);
    const relative = Math.max(...Array.from(expected, (y, i) => Math.abs(y - scores.values![i]!) / Math.max(1, Math.abs(y))));
    console.log(`regression (targets near 1000) max abs diff ${maxAbsDiff(scores.values!, expected)}, max relative ${relative}`);
    assert.ok(relative <= 1e-6);
  });

  it('rejects a task that does not match the objective', () => {
    assert.throws(() => xgboostToOnnx(binary.model, { featureCount: 6, task: 'regression', classLabels: null }), /objective/);
  });
});

describe('maxAbsDiff', () => {
  it('handles equal NaNs, mismatched NaNs and lengths', () => {
    assert.equal(maxAbsDiff([1, Number.NaN, 3], [1.5, Number.NaN, 2]), 1);
    assert.equal(maxAbsDiff([1], [Number.NaN]), Number.POSITIVE_INFINITY);
    assert.equal(maxAbsDiff([1], [1, 2]), Number.POSITIVE_INFINITY);
  });
});
