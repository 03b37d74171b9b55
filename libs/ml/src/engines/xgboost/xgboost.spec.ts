import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MlError } from '../../errors';
import { rocAuc } from '../../metrics/roc-auc';
import { binaryLabel, multiclassLabel, regressionTarget, seededRandom, splitTail, syntheticMatrix } from '../synthetic-matrices';
import { predictXGBoost, readXGBoostModel, trainXGBoost, xgboostVersion } from './index';
import type { XGBoostRoundEvent } from './index';

function accuracy(labels: Float32Array, predicted: number[]): number {
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

describe('xgboost engine', () => {
  it('reports the native library version', () => {
    assert.match(xgboostVersion(), /^\d+\.\d+\.\d+$/);
  });

  it('learns a binary problem with missing values and reports logLoss each round', async () => {
    const all = syntheticMatrix({ rows: 1200, cols: 5, seed: 1, missingRate: 0.1 }, binaryLabel);
    const { head, tail } = splitTail(all, 300);
    const events: XGBoostRoundEvent[] = [];
    const result = await trainXGBoost({
      task: 'classification', numClasses: 2, train: head, validation: tail,
      params: { numRounds: 20, maxDepth: 4, learningRate: 0.3, seed: 7 },
      onRound: (e) => { events.push(e); return 'continue'; },
    });
    assert.equal(result.rounds, 20);
    assert.equal(result.cancelled, false);
    assert.equal(events.length, 20);
    assert.deepEqual(events.map((e) => e.round), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.ok(events[19]!.train.logLoss! < events[0]!.train.logLoss!);
    assert.ok(events[0]!.validation && typeof events[0]!.validation.logLoss === 'number');
    const proba = await predictXGBoost(result.model, tail);
    assert.equal(proba.length, tail.rows);
    assert.ok(accuracy(tail.labels, Array.from(proba, (p) => (p > 0.5 ? 1 : 0))) > 0.85);
    assert.equal(result.featureImportance.length, 5);
    assert.ok(Math.abs(result.featureImportance.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    // Features 0 and 1 carry the signal; 2..4 are noise.
    assert.ok(result.featureImportance[0]! > result.featureImportance[3]!);
  });

  it('also reports a watched metric each round, computed as our metrics compute it, leaving the model unchanged', async () => {
    const all = syntheticMatrix({ rows: 1200, cols: 5, seed: 2, missingRate: 0.1 }, binaryLabel);
    const { head, tail } = splitTail(all, 300);
    const params = { numRounds: 15, maxDepth: 4, learningRate: 0.3, seed: 7 };
    const events: XGBoostRoundEvent[] = [];
    const watched = await trainXGBoost({
      task: 'classification', numClasses: 2, train: head, validation: tail, params, watchMetric: 'rocAuc',
      onRound: (e) => { events.push(e); return 'continue'; },
    });
    const plain = await trainXGBoost({ task: 'classification', numClasses: 2, train: head, validation: tail, params });
    assert.ok(events.every((e) => typeof e.validation?.rocAuc === 'number' && typeof e.validation.logLoss === 'number'));
    const proba = await predictXGBoost(watched.model, tail);
    assert.deepEqual(proba, await predictXGBoost(plain.model, tail));
    const expected = rocAuc(Array.from(tail.labels, (y) => y === 1), proba)!;
    assert.ok(Math.abs(events[14]!.validation!.rocAuc! - expected) < 1e-5, `${events[14]!.validation!.rocAuc} vs ${expected}`);
  });

  it('learns a multiclass problem with softprob rows that sum to 1', async () => {
    const all = syntheticMatrix({ rows: 1500, cols: 4, seed: 2, missingRate: 0.05 }, multiclassLabel);
    const { head, tail } = splitTail(all, 300);
    const result = await trainXGBoost({ task: 'classification', numClasses: 3, train: head, params: { numRounds: 25 } });
    const proba = await predictXGBoost(result.model, tail);
    assert.equal(proba.length, tail.rows * 3);
    const predicted: number[] = [];
    for (let r = 0; r < tail.rows; r++) {
      const row = Array.from(proba.subarray(r * 3, r * 3 + 3));
      assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
      predicted.push(row.indexOf(Math.max(...row)));
    }
    assert.ok(accuracy(tail.labels, predicted) > 0.85);
    assert.equal(readXGBoostModel(result.model).trees.length, 25 * 3);
  });

  it('learns a regression target and reports rmse', async () => {
    const all = syntheticMatrix({ rows: 1500, cols: 3, seed: 3 }, regressionTarget);
    const { head, tail } = splitTail(all, 300);
    let lastRmse = Number.NaN;
    const result = await trainXGBoost({
      task: 'regression', numClasses: 0, train: head, params: { numRounds: 60, learningRate: 0.2 },
      onRound: (e) => { lastRmse = e.train.rmse!; return 'continue'; },
    });
    assert.ok(lastRmse < 0.3);
    const pred = await predictXGBoost(result.model, tail);
    const mse = pred.reduce((s, p, i) => s + (p - tail.labels[i]!) ** 2, 0) / tail.rows;
    const variance = tail.labels.reduce((s, y) => s + y * y, 0) / tail.rows - (tail.labels.reduce((a, b) => a + b, 0) / tail.rows) ** 2;
    assert.ok(1 - mse / variance > 0.9, `r2 ${1 - mse / variance}`);
  });

  it('stops between rounds when onRound says stop and marks the run cancelled', async () => {
    const train = syntheticMatrix({ rows: 400, cols: 3, seed: 4 }, binaryLabel);
    const result = await trainXGBoost({
      task: 'classification', numClasses: 2, train, params: { numRounds: 50 },
      onRound: async (e) => (e.round === 5 ? 'stop' : 'continue'),
    });
    assert.equal(result.cancelled, true);
    assert.equal(result.rounds, 5);
  });

  it('resumes from a checkpoint and continues round counting', async () => {
    const train = syntheticMatrix({ rows: 500, cols: 3, seed: 5 }, regressionTarget);
    const checkpoints: { model: Uint8Array; round: number }[] = [];
    const first = await trainXGBoost({
      task: 'regression', numClasses: 0, train, params: { numRounds: 10 }, checkpointEvery: 4,
      onCheckpoint: async (model, round) => { checkpoints.push({ model, round }); },
    });
    assert.deepEqual(checkpoints.map((c) => c.round), [4, 8]);
    const rounds: number[] = [];
    const resumed = await trainXGBoost({
      task: 'regression', numClasses: 0, train, params: { numRounds: 10 }, startFrom: checkpoints[0]!.model,
      onRound: (e) => { rounds.push(e.round); return 'continue'; },
    });
    assert.deepEqual(rounds, [5, 6, 7, 8, 9, 10]);
    assert.equal(resumed.rounds, 10);
    // Deterministic hist training: resuming reproduces the uninterrupted model's predictions.
    const a = await predictXGBoost(first.model, train);
    const b = await predictXGBoost(resumed.model, train);
    assert.ok(a.every((v, i) => Math.abs(v - b[i]!) < 1e-5));
  });

  it('stops early on a stalled validation loss and keeps rounds up to the best one', async () => {
    // Pure-noise labels: validation loss stops improving almost at once.
    const coin = seededRandom(66);
    const all = syntheticMatrix({ rows: 800, cols: 4, seed: 6 }, () => (coin() > 0.5 ? 1 : 0));
    const { head, tail } = splitTail(all, 300);
    const result = await trainXGBoost({
      task: 'classification', numClasses: 2, train: head, validation: tail,
      params: { numRounds: 200, earlyStoppingRounds: 5, learningRate: 0.5 },
    });
    assert.equal(result.stoppedEarly, true);
    assert.ok(result.bestRound !== null && result.bestRound < 200);
    assert.equal(result.rounds, result.bestRound);
    assert.equal(readXGBoostModel(result.model).attributes.best_iteration, String(result.bestRound! - 1));
  });

  it('rejects invalid hyperparameters and labels before touching native code', async () => {
    const train = syntheticMatrix({ rows: 50, cols: 2, seed: 8 }, binaryLabel);
    await assert.rejects(
      trainXGBoost({ task: 'classification', numClasses: 2, train, params: { maxDepth: 100, bogus: 1 } }),
      (err: unknown) => err instanceof MlError && err.code === 'INVALID_HYPERPARAMETERS' && /maxDepth/.test(err.message) && /bogus/.test(err.message),
    );
    const badLabels = { ...train, labels: train.labels.map((y, i) => (i === 3 ? 2 : y)) };
    await assert.rejects(
      trainXGBoost({ task: 'classification', numClasses: 2, train: badLabels, params: {} }),
      (err: unknown) => err instanceof MlError && err.code === 'DATASET_INVALID' && /row 3/.test(err.message),
    );
  });

  it('surfaces native errors with XGBoost\'s message', async () => {
    const m = syntheticMatrix({ rows: 5, cols: 2, seed: 9 }, binaryLabel);
    await assert.rejects(
      predictXGBoost(new TextEncoder().encode('{"not":"a model"}'), m),
      (err: unknown) => err instanceof MlError && err.code === 'INTERNAL' && err.message.length > 30,
    );
  });

  it('keeps the event loop free while a round runs', async () => {
    const train = syntheticMatrix({ rows: 20000, cols: 20, seed: 10 }, binaryLabel);
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    try {
      await trainXGBoost({ task: 'classification', numClasses: 2, train, params: { numRounds: 30, maxDepth: 8 } });
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 5, `timer ticked ${ticks} times during training`);
  });
});
