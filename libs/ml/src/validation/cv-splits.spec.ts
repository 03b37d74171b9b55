import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandingWindowSplits, kfoldSplits, subsetMatrix, summarizeFolds } from './cv-splits';

describe('cross-validation splits', () => {
  it('k-fold covers every row exactly once as validation, keeps class ratios and repeats for a seed', () => {
    const labels = Float32Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    const splits = kfoldSplits(labels, 5, { task: 'classification', stratify: true, seed: 3 });
    const seen = new Int32Array(100);
    for (const s of splits) {
      assert.equal(s.train.length + s.validate.length, 100);
      s.validate.forEach((r) => seen[r]++);
      const positives = Array.from(s.validate).filter((r) => labels[r] === 1).length;
      assert.equal(positives, 4, 'each fold holds 4 of the 20 positives');
      assert.ok(!Array.from(s.validate).some((r) => s.train.includes(r)), 'no row both trains and validates');
    }
    assert.ok(seen.every((c) => c === 1));
    assert.deepEqual(kfoldSplits(labels, 5, { task: 'classification', stratify: true, seed: 3 }), splits);
    assert.notDeepEqual(kfoldSplits(labels, 5, { task: 'classification', stratify: true, seed: 4 }), splits);
  });

  it('expanding windows never train on a row later than one they validate', () => {
    const times = [5, 1, 9, 3, 7, 2, 8, 6, 4, 0];
    const order = times.map((t, row) => ({ t, row })).sort((a, b) => a.t - b.t).map((x) => x.row);
    const splits = expandingWindowSplits(order, 4);
    assert.equal(splits.length, 4);
    for (const s of splits) {
      const latestTrain = Math.max(...Array.from(s.train, (r) => times[r]));
      const earliestValidate = Math.min(...Array.from(s.validate, (r) => times[r]));
      assert.ok(latestTrain < earliestValidate, `fold ${s.fold}: train up to t=${latestTrain}, validate from t=${earliestValidate}`);
    }
    assert.ok(splits[3].train.length > splits[0].train.length, 'the window expands');
  });

  it('subsets a matrix by rows and summarises fold metrics', () => {
    const m = { rows: 3, cols: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]), labels: Float32Array.from([0, 1, 0]) };
    const sub = subsetMatrix(m, Int32Array.from([2, 0]));
    assert.deepEqual(Array.from(sub.data), [5, 6, 1, 2]);
    assert.deepEqual(Array.from(sub.labels), [0, 0]);
    const summary = summarizeFolds([{ accuracy: 0.8, perClass: {} }, { accuracy: 0.6 }]);
    assert.equal(summary.folds, 2);
    assert.ok(Math.abs(summary.mean.accuracy - 0.7) < 1e-12);
    assert.ok(Math.abs(summary.std.accuracy - 0.1) < 1e-12);
  });
});
