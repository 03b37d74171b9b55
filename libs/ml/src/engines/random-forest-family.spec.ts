import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MlError } from '../errors';
import type { RoundEvent } from './model-family';
import { modelFamily } from './model-families';
import { dumpLightGBMModel } from './lightgbm';
import { randomForestFamily } from './random-forest-family';
import { binaryLabel, multiclassLabel, regressionTarget, splitTail, syntheticMatrix } from './synthetic-matrices';

describe('random forest family (LightGBM rf)', () => {
  it('is registered as random_forest', () => {
    assert.equal(modelFamily('random_forest'), randomForestFamily);
  });

  it('learns a binary problem with missing values; the model averages its trees', async () => {
    const { head, tail } = splitTail(syntheticMatrix({ rows: 1500, cols: 5, seed: 31, missingRate: 0.1 }, binaryLabel), 400);
    const events: RoundEvent[] = [];
    const result = await randomForestFamily.train({
      task: 'classification', numClasses: 2, train: head, validation: tail, params: { numTrees: 60 },
      onRound: (e) => { events.push(e); return 'continue'; },
    });
    assert.equal(result.rounds, 60);
    assert.equal(events.length, 60);
    assert.equal(typeof events[59]!.validation?.logLoss, 'number');
    const dump = dumpLightGBMModel(result.model);
    assert.equal(dump.average_output, true);
    assert.equal(dump.tree_info.length, 60);
    const proba = await randomForestFamily.predict(result.model, tail, 2);
    const correct = Array.from({ length: tail.rows }, (_, r) => (proba[2 * r + 1]! > 0.5 ? 1 : 0)).filter((p, r) => p === tail.labels[r]).length;
    assert.ok(correct / tail.rows > 0.85, `accuracy ${correct / tail.rows}`);
  });

  it('learns multiclass and regression', async () => {
    const multi = splitTail(syntheticMatrix({ rows: 1500, cols: 4, seed: 32 }, multiclassLabel), 300);
    const m = await randomForestFamily.train({ task: 'classification', numClasses: 3, train: multi.head, params: { numTrees: 40 } });
    const proba = await randomForestFamily.predict(m.model, multi.tail, 3);
    let correct = 0;
    for (let r = 0; r < multi.tail.rows; r++) {
      const row = Array.from(proba.subarray(3 * r, 3 * r + 3));
      if (row.indexOf(Math.max(...row)) === multi.tail.labels[r]) correct++;
    }
    assert.ok(correct / multi.tail.rows > 0.85, `accuracy ${correct / multi.tail.rows}`);

    const reg = splitTail(syntheticMatrix({ rows: 1500, cols: 3, seed: 33 }, regressionTarget), 300);
    const r = await randomForestFamily.train({ task: 'regression', numClasses: 0, train: reg.head, params: { numTrees: 60, numLeaves: 63, minDataInLeaf: 5 } });
    const pred = await randomForestFamily.predict(r.model, reg.tail, 0);
    const labels = reg.tail.labels;
    const mean = labels.reduce((a, b) => a + b, 0) / labels.length;
    const r2 = 1 - pred.reduce((s, p, i) => s + (p - labels[i]!) ** 2, 0) / labels.reduce((s, y) => s + (y - mean) ** 2, 0);
    assert.ok(r2 > 0.8, `r2 ${r2}`);
  });

  it('resumes from a checkpoint, counting on from its trees with sensible metrics', async () => {
    const train = syntheticMatrix({ rows: 600, cols: 3, seed: 34 }, regressionTarget);
    let checkpoint: Uint8Array | null = null;
    const full: RoundEvent[] = [];
    await randomForestFamily.train({
      task: 'regression', numClasses: 0, train, params: { numTrees: 10 }, checkpointEvery: 5,
      onCheckpoint: async (model, round) => { if (round === 5) checkpoint = model; },
      onRound: (e) => { full.push(e); return 'continue'; },
    });
    const resumed: RoundEvent[] = [];
    const result = await randomForestFamily.train({
      task: 'regression', numClasses: 0, train, params: { numTrees: 10 }, startFrom: checkpoint,
      onRound: (e) => { resumed.push(e); return 'continue'; },
    });
    assert.deepEqual(resumed.map((e) => e.round), [6, 7, 8, 9, 10]);
    assert.equal(dumpLightGBMModel(result.model).tree_info.length, 10);
    // Bags restart with the resumed run, so trees differ; the averaged training error stays close to the uninterrupted one.
    assert.ok(Math.abs(resumed[4]!.train.rmse! - full[9]!.train.rmse!) < 0.1, `${resumed[4]!.train.rmse} vs ${full[9]!.train.rmse}`);
  });

  it('rejects boosting-only parameters', async () => {
    const train = syntheticMatrix({ rows: 50, cols: 2, seed: 35 }, binaryLabel);
    assert.deepEqual(randomForestFamily.validateParams({ learningRate: 0.1 }).map((i) => i.field), ['learningRate']);
    await assert.rejects(
      randomForestFamily.train({ task: 'classification', numClasses: 2, train, params: { numRounds: 10 } }),
      (err: unknown) => err instanceof MlError && err.code === 'INVALID_HYPERPARAMETERS' && /numRounds/.test(err.message),
    );
  });
});
