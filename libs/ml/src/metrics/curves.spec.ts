import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binaryCurves, residualSample } from './curves';
import { rocAuc } from './roc-auc';

/** Trapezoidal area under the ROC points. */
const area = (roc: { fpr: number; tpr: number }[]) => roc.slice(1).reduce((s, p, i) => s + ((p.fpr - roc[i]!.fpr) * (p.tpr + roc[i]!.tpr)) / 2, 0);

describe('binaryCurves', () => {
  it('walks the thresholds from (0,0) to (1,1), its area matching rocAuc, ties moving together', () => {
    const positive = [true, false, true, true, false, false, true, false];
    const scores = [0.9, 0.8, 0.8, 0.6, 0.5, 0.3, 0.2, 0.1];
    const curves = binaryCurves(positive, scores)!;
    assert.deepEqual(curves.roc[0], { fpr: 0, tpr: 0 });
    assert.deepEqual(curves.roc.at(-1), { fpr: 1, tpr: 1 });
    assert.equal(curves.roc.length, 1 + 7, 'one point per distinct score');
    assert.deepEqual(curves.roc[2], { fpr: 0.25, tpr: 0.5 }, 'the tied 0.8 pair is one step');
    assert.ok(Math.abs(area(curves.roc) - rocAuc(positive, scores)!) < 1e-12);
    assert.deepEqual(curves.pr[0], { recall: 0.25, precision: 1 });
    assert.deepEqual(curves.pr.at(-1), { recall: 1, precision: 0.5 });
    assert.equal(curves.positiveRate, 0.5);
  });

  it('thins long curves to the point budget, keeping both ends', () => {
    const n = 5000;
    const positive = Array.from({ length: n }, (_, i) => i % 3 === 0);
    const scores = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const curves = binaryCurves(positive, scores, 100)!;
    assert.equal(curves.roc.length, 100);
    assert.deepEqual(curves.roc[0], { fpr: 0, tpr: 0 });
    assert.deepEqual(curves.roc.at(-1), { fpr: 1, tpr: 1 });
  });

  it('is null with one class only', () => {
    assert.equal(binaryCurves([true, true], [0.2, 0.4]), null);
  });
});

describe('residualSample', () => {
  it('takes evenly spaced pairs up to the budget and skips non-finite ones', () => {
    assert.deepEqual(residualSample([1, 2, NaN, 4], [1.5, 2.5, 3, 3.5]), [
      { actual: 1, predicted: 1.5 },
      { actual: 2, predicted: 2.5 },
      { actual: 4, predicted: 3.5 },
    ]);
    const big = Array.from({ length: 10_000 }, (_, i) => i);
    const sample = residualSample(big, big, 500);
    assert.equal(sample.length, 500);
    assert.equal(sample[1]!.actual, 20);
  });
});
