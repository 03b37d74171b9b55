import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../../matrix';
import { maxAbsDiff, scoreOnnx } from '../../onnx/score-onnx';
import type { RoundEvent } from '../model-family';
import { seededRandom, splitTail } from '../synthetic-matrices';
import { fillWindows } from './lstm-windows';
import { decodeLstmModel, lstmFamily, validateLstmParams } from './index';
import { loadTf } from '../mlp/tfjs-wasm';

const PARITY = 1e-4;

/** A time-ordered matrix whose target depends only on earlier rows: y_t = 0.8·a_{t−1} − 0.5·a_{t−2} + 0.4·b_{t−3} + noise. */
function autoregressive(rows: number, seed: number, label: (y: number) => number = (y) => y): Matrix {
  const random = seededRandom(seed);
  const cols = 3;
  const data = Float32Array.from({ length: rows * cols }, () => random() * 2 - 1);
  const at = (t: number, c: number) => (t >= 0 ? data[t * cols + c]! : 0);
  const labels = Float32Array.from({ length: rows }, (_, t) => label(0.8 * at(t - 1, 0) - 0.5 * at(t - 2, 0) + 0.4 * at(t - 3, 1) + 0.05 * (random() - 0.5)));
  return { rows, cols, data, labels };
}

function rmse(values: Float32Array, labels: Float32Array): number {
  return Math.sqrt(values.reduce((s, v, i) => s + (v - labels[i]!) ** 2, 0) / values.length);
}

describe('fillWindows', () => {
  it('reads the window − 1 previous rows, repeating the first row before the start', () => {
    const data = Float32Array.from([1, 10, 2, 20, 3, 30]);
    const out = fillWindows(data, 2, 3, [0, 2], new Float32Array(12));
    // Time-major [3 steps, 2 rows, 2 cols].
    assert.deepEqual(Array.from(out), [1, 10, 1, 10, 1, 10, 2, 20, 1, 10, 3, 30]);
  });
});

describe('lstmFamily', () => {
  it('regression: learns an autoregressive series far better than the mean; ONNX on rows matches tfjs', async () => {
    const { head, tail } = splitTail(autoregressive(2500, 61), 500);
    const events: RoundEvent[] = [];
    const started = performance.now();
    const result = await lstmFamily.train({
      task: 'regression',
      numClasses: 0,
      train: head,
      validation: tail,
      params: { epochs: 15, units: 16, window: 6, learningRate: 0.02, batchSize: 64, seed: 1 },
      onRound: (e) => (events.push(e), 'continue'),
    });
    const elapsed = performance.now() - started;
    assert.deepEqual(events.map((e) => e.round), Array.from({ length: 15 }, (_, i) => i + 1));
    const predicted = await lstmFamily.predict(result.model, tail, 0);
    const mean = head.labels.reduce((a, b) => a + b) / head.rows;
    const baseline = rmse(new Float32Array(tail.rows).fill(mean), tail.labels);
    const error = rmse(predicted, tail.labels);
    console.log(`lstm regression: 15 epochs × 2000 rows in ${elapsed.toFixed(0)} ms; validation rmse ${error.toFixed(4)} vs mean predictor ${baseline.toFixed(4)}`);
    assert.ok(error < 0.3 * baseline, `rmse ${error} vs ${baseline}`);

    const test = { ...tail, data: tail.data.slice() };
    test.data[7] = Number.NaN;
    const onnx = lstmFamily.toOnnx(result.model, { featureCount: 3, task: 'regression', classLabels: null });
    const scores = await scoreOnnx(onnx, test);
    const expected = await lstmFamily.predict(result.model, test, 0);
    const diff = maxAbsDiff(scores.values!, expected);
    console.log(`lstm regression ONNX parity max abs diff ${diff}`);
    assert.equal(scores.values!.length, test.rows);
    assert.ok(diff <= PARITY, `max abs diff ${diff}`);
    // Fewer rows than the window: every sequence is padded from row 0.
    const short = { rows: 2, cols: 3, data: test.data.slice(0, 6), labels: test.labels.slice(0, 2) };
    assert.ok(maxAbsDiff((await scoreOnnx(onnx, short)).values!, await lstmFamily.predict(result.model, short, 0)) <= PARITY);
  });

  it('binary: learns the sign of the series; ONNX matches tfjs', async () => {
    const { head, tail } = splitTail(autoregressive(2500, 62, (y) => (y > 0 ? 1 : 0)), 500);
    const result = await lstmFamily.train({ task: 'classification', numClasses: 2, train: head, params: { epochs: 12, units: 16, window: 4, learningRate: 0.02, batchSize: 64, seed: 2 } });
    const predicted = await lstmFamily.predict(result.model, tail, 2);
    let right = 0;
    for (let r = 0; r < tail.rows; r++) if ((predicted[2 * r + 1]! > 0.5 ? 1 : 0) === tail.labels[r]) right++;
    console.log(`lstm binary: validation accuracy ${(right / tail.rows).toFixed(3)}`);
    assert.ok(right / tail.rows > 0.85);
    const scores = await scoreOnnx(lstmFamily.toOnnx(result.model, { featureCount: 3, task: 'classification', classLabels: ['down', 'up'] }), tail);
    const diff = maxAbsDiff(scores.probabilities!, predicted);
    console.log(`lstm binary ONNX parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY);
    for (let r = 0; r < tail.rows; r++) {
      if (Math.abs(predicted[2 * r + 1]! - 0.5) > 1e-4) assert.equal(scores.labels![r], predicted[2 * r + 1]! > 0.5 ? 1 : 0);
    }
  });

  it('multiclass with the default window: ONNX matches tfjs', async () => {
    const m = autoregressive(600, 63, (y) => (y < -0.3 ? 0 : y < 0.3 ? 1 : 2));
    const result = await lstmFamily.train({ task: 'classification', numClasses: 3, train: m, params: { epochs: 3, units: 8, seed: 3 } });
    assert.equal(decodeLstmModel(result.model).window, 8);
    const scores = await scoreOnnx(lstmFamily.toOnnx(result.model, { featureCount: 3, task: 'classification', classLabels: null }), m);
    const diff = maxAbsDiff(scores.probabilities!, await lstmFamily.predict(result.model, m, 3));
    console.log(`lstm multiclass ONNX parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY);
  });

  it("'stop' cancels; a checkpoint resumes the epoch count and replays the same training, leaving no tensors behind", async () => {
    const tensors = (await loadTf()).memory().numTensors;
    const { head, tail } = splitTail(autoregressive(900, 64), 200);
    const params = { epochs: 6, units: 8, window: 4, learningRate: 0.01, batchSize: 50, seed: 4 };
    const base = { task: 'regression' as const, numClasses: 0, train: head, validation: tail, params };
    const straight = await lstmFamily.train(base);
    const checkpoints = new Map<number, Uint8Array>();
    const stopped = await lstmFamily.train({
      ...base,
      checkpointEvery: 3,
      onCheckpoint: async (model, round) => void checkpoints.set(round, model),
      onRound: (e) => (e.round === 4 ? 'stop' : 'continue'),
    });
    assert.equal(stopped.cancelled, true);
    assert.equal(stopped.rounds, 4);
    assert.deepEqual([...checkpoints.keys()], [3]);
    const rounds: number[] = [];
    const resumed = await lstmFamily.train({ ...base, startFrom: checkpoints.get(3)!, onRound: (e) => (rounds.push(e.round), 'continue') });
    assert.deepEqual(rounds, [4, 5, 6]);
    assert.equal(resumed.rounds, 6);
    const a = decodeLstmModel(resumed.model).weights;
    const b = decodeLstmModel(straight.model).weights;
    const diff = Math.max(maxAbsDiff(a.kernel, b.kernel), maxAbsDiff(a.recurrentKernel, b.recurrentKernel), maxAbsDiff(a.dense, b.dense), maxAbsDiff(a.bias, b.bias));
    assert.equal(diff, 0);
    await assert.rejects(lstmFamily.train({ ...base, params: { ...params, window: 5 }, startFrom: checkpoints.get(3)! }), /window/);
    assert.equal((await loadTf()).memory().numTensors, tensors);
  });

  it('early stopping returns the best epoch', async () => {
    const { head, tail } = splitTail(autoregressive(250, 65), 100);
    const result = await lstmFamily.train({
      task: 'regression',
      numClasses: 0,
      train: head,
      validation: tail,
      params: { epochs: 200, units: 32, learningRate: 0.05, batchSize: 16, earlyStoppingRounds: 2, seed: 5 },
    });
    assert.equal(result.stoppedEarly, true);
    assert.equal(result.rounds, result.bestRound);
    assert.ok(result.bestRound! < 200);
  });

  it('validates params by name', () => {
    assert.deepEqual(
      validateLstmParams({ window: 0, units: 2.5, epochs: 3, hiddenLayers: [4] }).map((i) => i.field),
      ['window', 'units', 'hiddenLayers'],
    );
  });
});
