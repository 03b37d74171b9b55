import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../preprocess/seeded-random';
import { precisionRecallCurve, rocCurve } from './curves';
import { residualSample, residualSummary } from './residuals';
import { rocAuc } from './roc-auc';

/** Trapezoid area under (x, y) points in order. */
const area = (points: { x: number; y: number }[]) => points.slice(1).reduce((s, p, i) => s + (p.x - points[i]!.x) * (p.y + points[i]!.y) / 2, 0);

describe('ROC and precision-recall curves', () => {
  it('give every threshold of a small set, ties as one point', () => {
    const positive = [true, false, true, false, true];
    const scores = [0.9, 0.8, 0.8, 0.3, 0.1];
    assert.deepEqual(rocCurve(positive, scores), [
      { threshold: Infinity, falsePositiveRate: 0, truePositiveRate: 0 },
      { threshold: 0.9, falsePositiveRate: 0, truePositiveRate: 1 / 3 },
      { threshold: 0.8, falsePositiveRate: 0.5, truePositiveRate: 2 / 3 },
      { threshold: 0.3, falsePositiveRate: 1, truePositiveRate: 2 / 3 },
      { threshold: 0.1, falsePositiveRate: 1, truePositiveRate: 1 },
    ]);
    assert.deepEqual(precisionRecallCurve(positive, scores), [
      { threshold: 0.9, precision: 1, recall: 1 / 3 },
      { threshold: 0.8, precision: 2 / 3, recall: 2 / 3 },
      { threshold: 0.3, precision: 0.5, recall: 2 / 3 },
      { threshold: 0.1, precision: 0.6, recall: 1 },
    ]);
    assert.deepEqual(rocCurve([true, true], [0.2, 0.4]), [], 'no negatives, no ROC curve');
    assert.deepEqual(precisionRecallCurve([false], [0.2]), []);
  });

  it('stay within 200 points on a large set, ending at (1, 1), with the area of rocAuc', () => {
    const random = seededRandom(3);
    const positive = Array.from({ length: 20_000 }, () => random() < 0.3);
    const scores = positive.map((p) => random() + (p ? 0.4 : 0));
    const roc = rocCurve(positive, scores);
    const pr = precisionRecallCurve(positive, scores);
    assert.equal(roc.length, 200);
    assert.equal(pr.length, 200);
    assert.deepEqual([roc.at(-1)!.falsePositiveRate, roc.at(-1)!.truePositiveRate], [1, 1]);
    assert.equal(pr.at(-1)!.recall, 1);
    assert.ok(roc.every((p, i) => i === 0 || (p.falsePositiveRate >= roc[i - 1]!.falsePositiveRate && p.threshold < roc[i - 1]!.threshold)));
    const auc = area(roc.map((p) => ({ x: p.falsePositiveRate, y: p.truePositiveRate })));
    assert.ok(Math.abs(auc - rocAuc(positive, scores)!) < 0.002, `${auc} vs ${rocAuc(positive, scores)}`);
  });
});

describe('residualSummary', () => {
  it('summarises actual − predicted with quantiles and a bounded histogram', () => {
    const actual = Array.from({ length: 101 }, (_, i) => i);
    const predicted = actual.map((y) => y - (y - 50) / 10);
    const s = residualSummary(actual, predicted, 10);
    assert.equal(s.count, 101);
    assert.ok(Math.abs(s.mean) < 1e-12);
    assert.equal(s.quantiles.p50, 0);
    assert.ok(Math.abs(s.quantiles.p5 + 4.5) < 1e-12 && Math.abs(s.quantiles.p95 - 4.5) < 1e-12);
    assert.equal(s.maxAbs, 5);
    assert.equal(s.histogram.length, 10);
    assert.equal(s.histogram.reduce((n, b) => n + b.count, 0), 101);
    assert.deepEqual([s.histogram[0]!.from, s.histogram[9]!.to], [-5, 5]);
    assert.equal(residualSummary([1, 2], [1, 2]).histogram.length, 1, 'a perfect fit is one bin');
    assert.equal(residualSummary(actual, predicted, 5000).histogram.length, 200, 'bins are capped');
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
    assert.equal(sample[1].actual, 20);
  });
});
