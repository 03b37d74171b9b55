import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../../matrix';
import { maxAbsDiff, scoreOnnx } from '../../onnx/score-onnx';
import type { RoundEvent } from '../model-family';
import { binaryLabel, multiclassLabel, splitTail, syntheticMatrix } from '../synthetic-matrices';
import { decodeLinearModel, linearFamily } from './index';

const PARITY = 1e-5;
const linearTarget = (row: Float32Array) => 1 + 3 * row[0]! - 2 * row[1]! + 0.5 * row[2]!;

function accuracy(probabilities: Float32Array, m: Matrix, classes: number): number {
  let right = 0;
  for (let r = 0; r < m.rows; r++) {
    const row = Array.from(probabilities.subarray(r * classes, (r + 1) * classes));
    if (row.indexOf(Math.max(...row)) === m.labels[r]) right++;
  }
  return right / m.rows;
}

/** Held-out rows plus one fully missing row, which both sides must score as all-zero features. */
function withMissingRow(m: Matrix): Matrix {
  const data = new Float32Array(m.data.length + m.cols).fill(Number.NaN);
  data.set(m.data);
  return { rows: m.rows + 1, cols: m.cols, data, labels: new Float32Array(m.rows + 1) };
}

describe('linearFamily', () => {
  it('binary: learns, reports per-iteration logLoss, ONNX matches predict', async () => {
    const { head, tail } = splitTail(syntheticMatrix({ rows: 2000, cols: 6, seed: 21, missingRate: 0.05 }, binaryLabel), 500);
    const events: RoundEvent[] = [];
    const started = performance.now();
    const result = await linearFamily.train({
      task: 'classification',
      numClasses: 2,
      train: head,
      validation: tail,
      params: { l2: 0.1 },
      onRound: (e) => (events.push(e), 'continue'),
    });
    console.log(`linear binary: ${result.rounds} iterations in ${(performance.now() - started).toFixed(0)} ms`);
    assert.ok(events.length >= 3 && events.length === result.rounds);
    assert.deepEqual(events.map((e) => e.round), events.map((_, i) => i + 1));
    assert.ok(events.at(-1)!.train.logLoss! < events[0]!.train.logLoss!);
    assert.ok(Number.isFinite(events.at(-1)!.validation!.logLoss));
    const predicted = await linearFamily.predict(result.model, tail, 2);
    assert.ok(accuracy(predicted, tail, 2) > 0.95);
    assert.ok(result.featureImportance[0]! > result.featureImportance[2]! && result.featureImportance[1]! > result.featureImportance[3]!);
    assert.ok(Math.abs(result.featureImportance.reduce((a, b) => a + b) - 1) < 1e-9);

    const test = withMissingRow(tail);
    const onnx = linearFamily.toOnnx(result.model, { featureCount: 6, task: 'classification', classLabels: ['no', 'yes'] });
    const scores = await scoreOnnx(onnx, test);
    const expected = await linearFamily.predict(result.model, test, 2);
    const diff = maxAbsDiff(scores.probabilities!, expected);
    console.log(`linear binary ONNX parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY);
    assert.deepEqual(Array.from(scores.labels!), Array.from({ length: test.rows }, (_, r) => (expected[2 * r + 1]! > expected[2 * r]! ? 1 : 0)));
  });

  it('multiclass: softmax learns and ONNX matches predict', async () => {
    const { head, tail } = splitTail(syntheticMatrix({ rows: 3000, cols: 5, seed: 22 }, multiclassLabel), 600);
    const result = await linearFamily.train({ task: 'classification', numClasses: 3, train: head, params: { l2: 0.01, maxIterations: 200 } });
    const predicted = await linearFamily.predict(result.model, tail, 3);
    assert.ok(accuracy(predicted, tail, 3) > 0.9, `accuracy ${accuracy(predicted, tail, 3)}`);
    const test = withMissingRow(tail);
    const scores = await scoreOnnx(linearFamily.toOnnx(result.model, { featureCount: 5, task: 'classification', classLabels: null }), test);
    const diff = maxAbsDiff(scores.probabilities!, await linearFamily.predict(result.model, test, 3));
    console.log(`linear multiclass: ${result.rounds} iterations; ONNX parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY);
  });

  it('regression: ridge recovers a linear target and ONNX matches predict', async () => {
    const { head, tail } = splitTail(syntheticMatrix({ rows: 1500, cols: 4, seed: 23 }, linearTarget), 300);
    const events: RoundEvent[] = [];
    const result = await linearFamily.train({
      task: 'regression',
      numClasses: 0,
      train: head,
      validation: tail,
      params: { l2: 1e-6 },
      onRound: (e) => (events.push(e), 'continue'),
    });
    assert.equal(result.rounds, 1);
    assert.ok(events[0]!.train.rmse! < 1e-3 && events[0]!.validation!.rmse! < 1e-3);
    const model = decodeLinearModel(result.model);
    [3, -2, 0.5, 0].forEach((w, f) => assert.ok(Math.abs(model.coefficients[f]! - w) < 1e-3));
    assert.ok(Math.abs(model.intercepts[0]! - 1) < 1e-3);
    const test = withMissingRow(tail);
    const scores = await scoreOnnx(linearFamily.toOnnx(result.model, { featureCount: 4, task: 'regression', classLabels: null }), test);
    const diff = maxAbsDiff(scores.values!, await linearFamily.predict(result.model, test, 0));
    console.log(`linear regression ONNX parity max abs diff ${diff}`);
    assert.equal(scores.values!.length, test.rows);
    assert.ok(diff <= PARITY);
  });

  it('fitIntercept false keeps the intercept at 0', async () => {
    const m = syntheticMatrix({ rows: 500, cols: 3, seed: 24 }, binaryLabel);
    const result = await linearFamily.train({ task: 'classification', numClasses: 2, train: m, params: { fitIntercept: false } });
    assert.equal(decodeLinearModel(result.model).intercepts[0], 0);
  });

  it("'stop' cancels after that iteration; checkpoints resume the iteration count", async () => {
    const m = syntheticMatrix({ rows: 1000, cols: 8, seed: 25 }, multiclassLabel);
    const checkpoints: { round: number; model: Uint8Array }[] = [];
    const stopped = await linearFamily.train({
      task: 'classification',
      numClasses: 3,
      train: m,
      params: { l2: 0, tolerance: 1e-12 },
      checkpointEvery: 2,
      onCheckpoint: async (model, round) => void checkpoints.push({ round, model }),
      onRound: (e) => (e.round === 4 ? 'stop' : 'continue'),
    });
    assert.equal(stopped.cancelled, true);
    assert.equal(stopped.rounds, 4);
    assert.deepEqual(checkpoints.map((c) => c.round), [2, 4]);

    const rounds: number[] = [];
    const resumed = await linearFamily.train({
      task: 'classification',
      numClasses: 3,
      train: m,
      params: { l2: 0, tolerance: 1e-12, maxIterations: 10 },
      startFrom: checkpoints[1]!.model,
      onRound: (e) => (rounds.push(e.round), 'continue'),
    });
    assert.equal(rounds[0], 5);
    assert.equal(resumed.rounds, rounds.at(-1));
    assert.equal(resumed.cancelled, false);
  });

  it('sample weights act like repeated rows (ridge and logistic)', async () => {
    const base = syntheticMatrix({ rows: 300, cols: 4, seed: 28 }, binaryLabel);
    const weights = Float32Array.from({ length: base.rows }, (_, i) => (i % 3 === 0 ? 2 : 1));
    const repeat = (m: Matrix, labels: Float32Array): Matrix => {
      const rows = [...Array(m.rows).keys()].flatMap((r) => (weights[r] === 2 ? [r, r] : [r]));
      const data = new Float32Array(rows.length * m.cols);
      rows.forEach((r, i) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols));
      return { rows: rows.length, cols: m.cols, data, labels: Float32Array.from(rows, (r) => labels[r]!) };
    };
    const regressionLabels = Float32Array.from({ length: base.rows }, (_, r) => linearTarget(base.data.subarray(r * 4, r * 4 + 4)) + (r % 7) / 10);
    for (const [task, numClasses, labels] of [['classification', 2, base.labels], ['regression', 0, regressionLabels]] as const) {
      const params = { l2: 1, tolerance: 1e-10, maxIterations: 500 };
      const weighted = await linearFamily.train({ task, numClasses, train: { ...base, labels, weights }, params });
      const repeated = await linearFamily.train({ task, numClasses, train: repeat(base, labels), params });
      const a = decodeLinearModel(weighted.model);
      const b = decodeLinearModel(repeated.model);
      const diff = maxAbsDiff([...a.coefficients, ...a.intercepts], [...b.coefficients, ...b.intercepts]);
      assert.ok(diff < 1e-4, `${task}: weighted vs repeated coefficients differ by ${diff}`);
    }
  });

  it('keeps the event loop responsive while fitting', async () => {
    const m = syntheticMatrix({ rows: 40_000, cols: 30, seed: 26 }, multiclassLabel);
    let ticks = 0;
    let last = performance.now();
    let worstGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const started = performance.now();
    const result = await linearFamily.train({ task: 'classification', numClasses: 3, train: m, params: { l2: 0.01, tolerance: 1e-9 } });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    console.log(`linear 40k×30 softmax: ${result.rounds} iterations in ${elapsed.toFixed(0)} ms; ${ticks} ticks, worst gap ${worstGap.toFixed(1)} ms`);
    assert.ok(ticks >= elapsed / 50, `only ${ticks} ticks in ${elapsed} ms`);
    assert.ok(worstGap < 250, `event loop blocked for ${worstGap} ms`);
  });

  it('rejects bad params and labels with named errors', async () => {
    const m = syntheticMatrix({ rows: 10, cols: 2, seed: 27 }, binaryLabel);
    await assert.rejects(linearFamily.train({ task: 'classification', numClasses: 2, train: m, params: { l2: -1 } }), /l2/);
    const bad = { ...m, labels: m.labels.map((v, i) => (i === 3 ? 2 : v)) };
    await assert.rejects(linearFamily.train({ task: 'classification', numClasses: 2, train: bad, params: {} }), /row 3/);
  });
});
