import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Matrix } from '../../matrix';
import { maxAbsDiff, scoreOnnx } from '../../onnx/score-onnx';
import type { RoundEvent } from '../model-family';
import { binaryLabel, multiclassLabel, regressionTarget, seededRandom, splitTail, syntheticMatrix } from '../synthetic-matrices';
import { decodeMlpModel, mlpFamily } from './index';
import { loadTf } from './tfjs-wasm';

const PARITY = 1e-4;

function accuracy(probabilities: Float32Array, m: Matrix, classes: number): number {
  let right = 0;
  for (let r = 0; r < m.rows; r++) {
    const row = Array.from(probabilities.subarray(r * classes, (r + 1) * classes));
    if (row.indexOf(Math.max(...row)) === m.labels[r]) right++;
  }
  return right / m.rows;
}

function withMissingRow(m: Matrix): Matrix {
  const data = new Float32Array(m.data.length + m.cols).fill(Number.NaN);
  data.set(m.data);
  return { rows: m.rows + 1, cols: m.cols, data, labels: new Float32Array(m.rows + 1) };
}

describe('mlpFamily', () => {
  it('binary: learns with per-epoch losses; ONNX matches tfjs', async () => {
    const { head, tail } = splitTail(syntheticMatrix({ rows: 3000, cols: 6, seed: 31, missingRate: 0.05 }, binaryLabel), 600);
    const events: RoundEvent[] = [];
    const started = performance.now();
    const result = await mlpFamily.train({
      task: 'classification',
      numClasses: 2,
      train: head,
      validation: tail,
      params: { epochs: 20, learningRate: 0.01, batchSize: 64, seed: 1 },
      onRound: (e) => (events.push(e), 'continue'),
    });
    console.log(`mlp binary: 20 epochs × 2400 rows in ${(performance.now() - started).toFixed(0)} ms`);
    assert.deepEqual(events.map((e) => e.round), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.ok(events[19]!.train.logLoss! < events[0]!.train.logLoss!);
    assert.ok(events[19]!.validation!.logLoss! < 0.2);
    const predicted = await mlpFamily.predict(result.model, tail, 2);
    assert.ok(accuracy(predicted, tail, 2) > 0.95, `accuracy ${accuracy(predicted, tail, 2)}`);

    const test = withMissingRow(tail);
    const onnx = mlpFamily.toOnnx(result.model, { featureCount: 6, task: 'classification', classLabels: ['no', 'yes'] });
    const scores = await scoreOnnx(onnx, test);
    const expected = await mlpFamily.predict(result.model, test, 2);
    const diff = maxAbsDiff(scores.probabilities!, expected);
    console.log(`mlp binary ONNX parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY);
    for (let r = 0; r < test.rows; r++) {
      if (Math.abs(expected[2 * r + 1]! - 0.5) > 1e-4) assert.equal(scores.labels![r], expected[2 * r + 1]! > 0.5 ? 1 : 0);
    }
  });

  it('multiclass (tanh, dropout, l2): learns; ONNX matches tfjs', async () => {
    const { head, tail } = splitTail(syntheticMatrix({ rows: 3000, cols: 5, seed: 32 }, multiclassLabel), 600);
    const params = { epochs: 30, learningRate: 0.01, batchSize: 64, activation: 'tanh', dropout: 0.1, l2: 1e-5, seed: 2 };
    const result = await mlpFamily.train({ task: 'classification', numClasses: 3, train: head, params });
    const predicted = await mlpFamily.predict(result.model, tail, 3);
    assert.ok(accuracy(predicted, tail, 3) > 0.93, `accuracy ${accuracy(predicted, tail, 3)}`);
    const test = withMissingRow(tail);
    const scores = await scoreOnnx(mlpFamily.toOnnx(result.model, { featureCount: 5, task: 'classification', classLabels: null }), test);
    const diff = maxAbsDiff(scores.probabilities!, await mlpFamily.predict(result.model, test, 3));
    console.log(`mlp multiclass ONNX parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY);
  });

  it('regression: fits a non-linear target in its own units; ONNX matches tfjs', async () => {
    const shifted = (row: Float32Array) => 50 + 10 * regressionTarget(row);
    const { head, tail } = splitTail(syntheticMatrix({ rows: 3000, cols: 4, seed: 33 }, shifted), 600);
    const events: RoundEvent[] = [];
    const result = await mlpFamily.train({
      task: 'regression',
      numClasses: 0,
      train: head,
      validation: tail,
      params: { epochs: 40, learningRate: 0.01, batchSize: 64, seed: 3 },
      onRound: (e) => (events.push(e), 'continue'),
    });
    const last = events.at(-1)!;
    console.log(`mlp regression: validation rmse ${last.validation!.rmse!.toFixed(3)} (target std ≈ 19)`);
    assert.ok(last.validation!.rmse! < 2.5);
    const test = withMissingRow(tail);
    const scores = await scoreOnnx(mlpFamily.toOnnx(result.model, { featureCount: 4, task: 'regression', classLabels: null }), test);
    const expected = await mlpFamily.predict(result.model, test, 0);
    const relative = Math.max(...Array.from(expected, (y, i) => Math.abs(y - scores.values![i]!) / Math.max(1, Math.abs(y))));
    console.log(`mlp regression ONNX parity max abs diff ${maxAbsDiff(scores.values!, expected)}, max relative ${relative}`);
    assert.equal(scores.values!.length, test.rows);
    assert.ok(relative <= PARITY);
  });

  it('is deterministic for a seed', async () => {
    const m = syntheticMatrix({ rows: 500, cols: 4, seed: 34 }, binaryLabel);
    const run = () => mlpFamily.train({ task: 'classification', numClasses: 2, train: m, params: { epochs: 3, dropout: 0.2, seed: 9 } });
    assert.deepEqual((await run()).model, (await run()).model);
  });

  it("'stop' cancels; a checkpoint resumes the epoch count and replays the same training, leaving no tensors behind", async () => {
    const tensors = (await loadTf()).memory().numTensors;
    const { head, tail } = splitTail(syntheticMatrix({ rows: 1200, cols: 5, seed: 35 }, multiclassLabel), 200);
    const params = { epochs: 6, hiddenLayers: [16], learningRate: 0.01, batchSize: 100, dropout: 0.1, seed: 4 };
    const base = { task: 'classification' as const, numClasses: 3, train: head, validation: tail, params };
    const straight = await mlpFamily.train(base);

    const checkpoints = new Map<number, Uint8Array>();
    const stopped = await mlpFamily.train({
      ...base,
      checkpointEvery: 3,
      onCheckpoint: async (model, round) => void checkpoints.set(round, model),
      onRound: (e) => (e.round === 4 ? 'stop' : 'continue'),
    });
    assert.equal(stopped.cancelled, true);
    assert.equal(stopped.rounds, 4);
    assert.deepEqual([...checkpoints.keys()], [3]);

    const rounds: number[] = [];
    const resumed = await mlpFamily.train({ ...base, startFrom: checkpoints.get(3)!, onRound: (e) => (rounds.push(e.round), 'continue') });
    assert.deepEqual(rounds, [4, 5, 6]);
    assert.equal(resumed.rounds, 6);
    // Adam's moments, step count and bias-correction powers are restored exactly, so the weights agree bit for bit.
    const a = decodeMlpModel(resumed.model).layers;
    const b = decodeMlpModel(straight.model).layers;
    const diff = Math.max(...a.map((l, i) => maxAbsDiff(l.weights, b[i]!.weights)), ...a.map((l, i) => maxAbsDiff(l.bias, b[i]!.bias)));
    assert.equal(diff, 0);
    assert.equal((await loadTf()).memory().numTensors, tensors);
  });

  it('early stopping returns the best epoch', async () => {
    const { head, tail } = splitTail(syntheticMatrix({ rows: 600, cols: 4, seed: 36 }, binaryLabel), 200);
    // A large learning rate on tiny data overfits fast, so validation loss turns up within a few epochs.
    const result = await mlpFamily.train({
      task: 'classification',
      numClasses: 2,
      train: head,
      validation: tail,
      params: { epochs: 200, hiddenLayers: [128, 128], learningRate: 0.05, batchSize: 32, earlyStoppingRounds: 3, seed: 5 },
    });
    assert.equal(result.stoppedEarly, true);
    assert.equal(result.rounds, result.bestRound);
    assert.ok(result.bestRound! < 200);
    await assert.rejects(
      mlpFamily.train({ task: 'classification', numClasses: 2, train: head, params: { earlyStoppingRounds: 3 } }),
      /validation/,
    );
  });

  it('sample weights shift predictions toward the heavier class', async () => {
    // Noisy labels, so the best probabilities are far from 0/1 and weighting visibly moves them.
    const random = seededRandom(39);
    const m = syntheticMatrix({ rows: 800, cols: 4, seed: 39 }, (row) => (random() < 0.3 ? 1 - binaryLabel(row) : binaryLabel(row)));
    const params = { epochs: 5, learningRate: 0.01, batchSize: 64, seed: 7 };
    const meanPositive = async (weights?: Float32Array) => {
      const result = await mlpFamily.train({ task: 'classification', numClasses: 2, train: { ...m, weights }, params });
      const p = await mlpFamily.predict(result.model, m, 2);
      return Array.from({ length: m.rows }, (_, r) => p[2 * r + 1]!).reduce((a, b) => a + b) / m.rows;
    };
    const plain = await meanPositive();
    const heavy = await meanPositive(m.labels.map((y) => (y === 1 ? 5 : 1)));
    assert.ok(heavy > plain + 0.05, `mean P(1): plain ${plain}, weighted ${heavy}`);
  });

  it('keeps the event loop responsive while training', async () => {
    const m = syntheticMatrix({ rows: 20_000, cols: 20, seed: 37 }, multiclassLabel);
    await mlpFamily.train({ task: 'classification', numClasses: 3, train: { ...m, rows: 10, data: m.data.slice(0, 200), labels: m.labels.slice(0, 10) }, params: { epochs: 1 } });
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
    await mlpFamily.train({ task: 'classification', numClasses: 3, train: m, params: { epochs: 3, seed: 6 } });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    console.log(`mlp 20k×20 [64,32] 3 epochs in ${elapsed.toFixed(0)} ms; ${ticks} ticks, worst gap ${worstGap.toFixed(1)} ms`);
    assert.ok(ticks >= elapsed / 50, `only ${ticks} ticks in ${elapsed} ms`);
    // A run that held the loop would show one gap as long as the run; on a busy machine the OS alone can stall a
    // process for a few hundred milliseconds, so the bound leaves room for that and no more.
    assert.ok(worstGap < Math.min(1000, elapsed / 2), `event loop blocked for ${worstGap} ms of ${elapsed} ms`);
  });

  it('rejects bad params with the field named', async () => {
    const m = syntheticMatrix({ rows: 10, cols: 2, seed: 38 }, binaryLabel);
    await assert.rejects(mlpFamily.train({ task: 'classification', numClasses: 2, train: m, params: { dropout: 2 } }), /dropout/);
  });
});
