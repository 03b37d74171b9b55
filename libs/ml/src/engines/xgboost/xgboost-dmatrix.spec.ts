import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Matrix } from '../../matrix';
import { binaryLabel, splitTail, syntheticMatrix } from '../synthetic-matrices';
import { Booster } from './xgboost-booster';
import { createDMatrix, createQuantileDMatrix, freeDMatrix } from './xgboost-dmatrix';
import type { NativeHandle } from './xgboost-library';
import { binnedTraining } from './xgboost-train';

const PARAMS: [string, string][] = [
  ['objective', 'binary:logistic'],
  ['tree_method', 'hist'],
  ['max_depth', '4'],
  ['nthread', '1'],
  ['seed', '3'],
];

/** Trains 10 rounds on `dtrain`, evaluating it and `dvalid`; returns the last evaluation and the validation predictions. */
async function trainOn(dtrain: NativeHandle, dvalid: NativeHandle, params: [string, string][] = PARAMS) {
  const booster = Booster.create([dtrain, dvalid], 'TRAINING_FAILED');
  try {
    for (const [name, value] of params) booster.setParam(name, value, 'TRAINING_FAILED');
    const scores = await booster.boostRounds(0, 10, dtrain, [
      { name: 'train', handle: dtrain },
      { name: 'validation', handle: dvalid },
    ]);
    return { last: scores.at(-1)!, predicted: (await booster.predict(dvalid, false, 'TRAINING_FAILED')).values };
  } finally {
    booster.free();
  }
}

describe('createQuantileDMatrix', () => {
  const all = syntheticMatrix({ rows: 6000, cols: 6, seed: 11, missingRate: 0.05 }, binaryLabel);
  const { head, tail } = splitTail(all, 1000);

  it('trains hist to the model a DMatrix gives, missing values and a validation set sharing its bins included', async () => {
    const handles: NativeHandle[] = [];
    const made = async (m: Promise<NativeHandle>) => (handles.push(await m), handles.at(-1)!);
    try {
      const plain = await trainOn(await made(createDMatrix(head, true, 'TRAINING_FAILED')), await made(createDMatrix(tail, true, 'TRAINING_FAILED')));
      const dtrain = await made(createQuantileDMatrix(head, 'TRAINING_FAILED', { maxBin: 256 }));
      const binned = await trainOn(dtrain, await made(createQuantileDMatrix(tail, 'TRAINING_FAILED', { maxBin: 256, ref: dtrain })));
      assert.ok(Math.abs(binned.last.train.logloss! - plain.last.train.logloss!) < 1e-3, `train logloss ${binned.last.train.logloss} against ${plain.last.train.logloss}`);
      const gap = Math.max(...Array.from(binned.predicted, (p, i) => Math.abs(p - plain.predicted[i]!)));
      assert.ok(gap < 0.02, `validation predictions differ by up to ${gap}`);
    } finally {
      handles.forEach(freeDMatrix);
    }
  });

  it('fails with XGBoost’s reason when the booster asks for other bins than the matrix has', async () => {
    const dtrain = await createQuantileDMatrix(head, 'TRAINING_FAILED', { maxBin: 16 });
    try {
      await assert.rejects(trainOn(dtrain, dtrain, [...PARAMS, ['max_bin', '64']]), (err: Error) => /max_bin|bin/i.test(err.message));
    } finally {
      freeDMatrix(dtrain);
    }
  });
});

describe('binnedTraining', () => {
  const cells = (rows: number, cols: number) => ({ rows, cols }) as Matrix;
  const hist: [string, string][] = [['tree_method', 'hist']];

  it('bins large hist sets on the CPU only, with the max_bin asked for', () => {
    assert.deepEqual(binnedTraining(hist, cells(1_400_000, 30), 'cpu'), { maxBin: 256 });
    assert.deepEqual(binnedTraining([...hist, ['max_bin', '64']], cells(1_400_000, 30), 'cpu'), { maxBin: 64 });
    assert.equal(binnedTraining(hist, cells(100_000, 30), 'cpu'), null, 'a small set keeps its DMatrix');
    assert.equal(binnedTraining(hist, cells(1_400_000, 30), 'gpu'), null);
    assert.equal(binnedTraining([['tree_method', 'approx']], cells(1_400_000, 30), 'cpu'), null);
  });
});
