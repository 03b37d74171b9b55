import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MlError } from '../../errors';
import { rocAuc } from '../../metrics/roc-auc';
import type { RoundEvent } from '../model-family';
import { modelFamily } from '../model-families';
import { binaryLabel, multiclassLabel, regressionTarget, seededRandom, splitTail, syntheticMatrix } from '../synthetic-matrices';
import { dumpLightGBMModel, lightgbmFamily, predictLightGBM, trainLightGBM } from './index';

function accuracy(labels: Float32Array, predicted: number[]): number {
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

function argmaxRows(proba: Float32Array, k: number): number[] {
  return Array.from({ length: proba.length / k }, (_, r) => {
    const row = Array.from(proba.subarray(r * k, r * k + k));
    return row.indexOf(Math.max(...row));
  });
}

describe('lightgbm engine', () => {
  it('is registered as the lightgbm model family', () => {
    assert.equal(modelFamily('lightgbm'), lightgbmFamily);
  });

  it('learns a binary problem with missing values and reports logLoss each round', async () => {
    const all = syntheticMatrix({ rows: 1200, cols: 5, seed: 1, missingRate: 0.1 }, binaryLabel);
    const { head, tail } = splitTail(all, 300);
    const events: RoundEvent[] = [];
    const result = await lightgbmFamily.train({
      task: 'classification', numClasses: 2, train: head, validation: tail,
      params: { numRounds: 30, numLeaves: 15, seed: 7 },
      onRound: (e) => { events.push(e); return 'continue'; },
    });
    assert.equal(result.engine, 'lightgbm');
    assert.equal(result.rounds, 30);
    assert.equal(result.cancelled, false);
    assert.deepEqual(events.map((e) => e.round), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.ok(events[29]!.train.logLoss! < events[0]!.train.logLoss!);
    assert.equal(typeof events[0]!.validation?.logLoss, 'number');
    const proba = await lightgbmFamily.predict(result.model, tail, 2);
    assert.equal(proba.length, tail.rows * 2);
    assert.ok(accuracy(tail.labels, argmaxRows(proba, 2)) > 0.85);
    assert.equal(result.featureImportance.length, 5);
    assert.ok(Math.abs(result.featureImportance.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    // Features 0 and 1 carry the signal; 2..4 are noise.
    assert.ok(result.featureImportance[0]! > result.featureImportance[3]!);
  });

  it('also reports a watched metric each round, computed as our metrics compute it, leaving the model unchanged', async () => {
    const all = syntheticMatrix({ rows: 1200, cols: 5, seed: 2, missingRate: 0.1 }, binaryLabel);
    const { head, tail } = splitTail(all, 300);
    const params = { numRounds: 15, numLeaves: 15, seed: 7 };
    const events: RoundEvent[] = [];
    const watched = await lightgbmFamily.train({
      task: 'classification', numClasses: 2, train: head, validation: tail, params, watchMetric: 'rocAuc',
      onRound: (e) => { events.push(e); return 'continue'; },
    });
    const plain = await lightgbmFamily.train({ task: 'classification', numClasses: 2, train: head, validation: tail, params });
    assert.ok(events.every((e) => typeof e.validation?.rocAuc === 'number' && typeof e.validation.logLoss === 'number'));
    const proba = await lightgbmFamily.predict(watched.model, tail, 2);
    assert.deepEqual(proba, await lightgbmFamily.predict(plain.model, tail, 2));
    const expected = rocAuc(Array.from(tail.labels, (y) => y === 1), proba.filter((_, i) => i % 2 === 1))!;
    assert.ok(Math.abs(events[14]!.validation!.rocAuc! - expected) < 1e-5, `${events[14]!.validation!.rocAuc} vs ${expected}`);
  });

  it('learns a multiclass problem with probability rows that sum to 1', async () => {
    const all = syntheticMatrix({ rows: 1500, cols: 4, seed: 2, missingRate: 0.05 }, multiclassLabel);
    const { head, tail } = splitTail(all, 300);
    const result = await lightgbmFamily.train({ task: 'classification', numClasses: 3, train: head, params: { numRounds: 25 } });
    const proba = await lightgbmFamily.predict(result.model, tail, 3);
    assert.equal(proba.length, tail.rows * 3);
    for (let r = 0; r < tail.rows; r++) assert.ok(Math.abs(proba[3 * r]! + proba[3 * r + 1]! + proba[3 * r + 2]! - 1) < 1e-5);
    assert.ok(accuracy(tail.labels, argmaxRows(proba, 3)) > 0.85);
    assert.equal(dumpLightGBMModel(result.model).tree_info.length, 25 * 3);
  });

  it('learns a regression target and reports rmse', async () => {
    const all = syntheticMatrix({ rows: 1500, cols: 3, seed: 3 }, regressionTarget);
    const { head, tail } = splitTail(all, 300);
    let lastRmse = Number.NaN;
    const result = await lightgbmFamily.train({
      task: 'regression', numClasses: 0, train: head, params: { numRounds: 150 },
      onRound: (e) => { lastRmse = e.train.rmse!; return 'continue'; },
    });
    assert.ok(lastRmse < 0.3, `train rmse ${lastRmse}`);
    const pred = await lightgbmFamily.predict(result.model, tail, 0);
    const mean = tail.labels.reduce((a, b) => a + b, 0) / tail.rows;
    const sse = pred.reduce((s, p, i) => s + (p - tail.labels[i]!) ** 2, 0);
    const sst = tail.labels.reduce((s, y) => s + (y - mean) ** 2, 0);
    assert.ok(1 - sse / sst > 0.9, `r2 ${1 - sse / sst}`);
  });

  it('stops between rounds when onRound says stop and marks the run cancelled', async () => {
    const train = syntheticMatrix({ rows: 400, cols: 3, seed: 4 }, binaryLabel);
    const result = await trainLightGBM({
      task: 'classification', numClasses: 2, train, params: { numRounds: 50 },
      onRound: async (e) => (e.round === 5 ? 'stop' : 'continue'),
    });
    assert.equal(result.cancelled, true);
    assert.equal(result.rounds, 5);
    assert.equal(dumpLightGBMModel(result.model).tree_info.length, 5);
  });

  it('resumes from a checkpoint, continues round counting and reproduces the uninterrupted model', async () => {
    const train = syntheticMatrix({ rows: 500, cols: 3, seed: 5 }, regressionTarget);
    const checkpoints: { model: Uint8Array; round: number }[] = [];
    const first = await trainLightGBM({
      task: 'regression', numClasses: 0, train, params: { numRounds: 10 }, checkpointEvery: 4,
      onCheckpoint: async (model, round) => { checkpoints.push({ model, round }); },
    });
    assert.deepEqual(checkpoints.map((c) => c.round), [4, 8]);
    const events: RoundEvent[] = [];
    const resumed = await trainLightGBM({
      task: 'regression', numClasses: 0, train, params: { numRounds: 10 }, startFrom: checkpoints[0]!.model,
      onRound: (e) => { events.push(e); return 'continue'; },
    });
    assert.deepEqual(events.map((e) => e.round), [5, 6, 7, 8, 9, 10]);
    assert.equal(resumed.rounds, 10);
    // No bagging and deterministic=true: the checkpoint's scores seed the new trees exactly.
    const a = await predictLightGBM(first.model, train);
    const b = await predictLightGBM(resumed.model, train);
    assert.ok(a.every((v, i) => Math.abs(v - b[i]!) < 1e-9));
  });

  it('resumes a multiclass checkpoint with class-major init scores', async () => {
    const train = syntheticMatrix({ rows: 600, cols: 3, seed: 15 }, multiclassLabel);
    let checkpoint: Uint8Array | null = null;
    const first = await trainLightGBM({
      task: 'classification', numClasses: 3, train, params: { numRounds: 6 }, checkpointEvery: 3,
      onCheckpoint: async (model, round) => { if (round === 3) checkpoint = model; },
    });
    const resumed = await trainLightGBM({ task: 'classification', numClasses: 3, train, params: { numRounds: 6 }, startFrom: checkpoint });
    const a = await predictLightGBM(first.model, train);
    const b = await predictLightGBM(resumed.model, train);
    assert.ok(a.every((v, i) => Math.abs(v - b[i]!) < 1e-9));
  });

  it('stops early on a stalled validation loss and keeps rounds up to the best one', async () => {
    // Pure-noise labels: validation loss stops improving almost at once.
    const coin = seededRandom(66);
    const all = syntheticMatrix({ rows: 800, cols: 4, seed: 6 }, () => (coin() > 0.5 ? 1 : 0));
    const { head, tail } = splitTail(all, 300);
    const result = await trainLightGBM({
      task: 'classification', numClasses: 2, train: head, validation: tail,
      params: { numRounds: 200, earlyStoppingRounds: 5, learningRate: 0.5 },
    });
    assert.equal(result.stoppedEarly, true);
    assert.ok(result.bestRound !== null && result.bestRound < 200);
    assert.equal(result.rounds, result.bestRound);
    assert.equal(dumpLightGBMModel(result.model).tree_info.length, result.bestRound);
  });

  it('rejects invalid hyperparameters and labels before touching native code', async () => {
    const train = syntheticMatrix({ rows: 50, cols: 2, seed: 8 }, binaryLabel);
    await assert.rejects(
      trainLightGBM({ task: 'classification', numClasses: 2, train, params: { numLeaves: 1, bogus: 1 } }),
      (err: unknown) => err instanceof MlError && err.code === 'INVALID_HYPERPARAMETERS' && /numLeaves/.test(err.message) && /bogus/.test(err.message),
    );
    await assert.rejects(
      trainLightGBM({ task: 'classification', numClasses: 2, train, params: { earlyStoppingRounds: 3 } }),
      (err: unknown) => err instanceof MlError && err.code === 'INVALID_HYPERPARAMETERS' && /validation/.test(err.message),
    );
    const badLabels = { ...train, labels: train.labels.map((y, i) => (i === 3 ? 2 : y)) };
    await assert.rejects(
      trainLightGBM({ task: 'classification', numClasses: 2, train: badLabels, params: {} }),
      (err: unknown) => err instanceof MlError && err.code === 'DATASET_INVALID' && /row 3/.test(err.message),
    );
  });

  it('surfaces native errors with LightGBM\'s message', async () => {
    const m = syntheticMatrix({ rows: 5, cols: 2, seed: 9 }, binaryLabel);
    await assert.rejects(
      predictLightGBM(new TextEncoder().encode('not a model'), m),
      (err: unknown) => err instanceof MlError && err.code === 'INTERNAL' && /number of classes/.test(err.message),
    );
  });

  it('reports GPU_UNAVAILABLE when device gpu is requested on a build without a usable GPU', async () => {
    const train = syntheticMatrix({ rows: 100, cols: 2, seed: 10 }, binaryLabel);
    await assert.rejects(
      lightgbmFamily.train({ task: 'classification', numClasses: 2, train, params: { numRounds: 2 }, device: 'gpu' }),
      (err: unknown) => err instanceof MlError && err.code === 'GPU_UNAVAILABLE',
    );
  });

  it('keeps the event loop free while a round runs', async () => {
    const train = syntheticMatrix({ rows: 20000, cols: 20, seed: 10 }, binaryLabel);
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 1);
    try {
      await trainLightGBM({ task: 'classification', numClasses: 2, train, params: { numRounds: 30, numLeaves: 63 } });
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 5, `timer ticked ${ticks} times during training`);
  });
});
