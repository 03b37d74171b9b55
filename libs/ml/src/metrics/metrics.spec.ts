import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classificationMetrics, regressionMetrics, rocAuc } from './index';

function close(actual: number | null, expected: number, tol = 1e-6): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);
}

describe('classificationMetrics', () => {
  it('binary example computed by hand', () => {
    const yTrue = Float32Array.from([0, 0, 1, 1]);
    const p1 = [0.1, 0.4, 0.35, 0.8];
    const proba = Float32Array.from(p1.flatMap((p) => [1 - p, p]));
    const m = classificationMetrics(yTrue, proba, ['neg', 'pos']);
    assert.deepEqual(m.confusionMatrix, [[2, 0], [1, 1]]);
    close(m.accuracy, 0.75);
    close(m.rocAuc, 0.75);
    close(m.perClass.neg!.precision, 2 / 3);
    close(m.perClass.neg!.f1, 0.8);
    close(m.perClass.pos!.recall, 0.5);
    assert.equal(m.perClass.pos!.support, 2);
    close(m.precision, 5 / 6);
    close(m.recall, 0.75);
    close(m.f1, (0.8 + 2 / 3) / 2);
    close(m.logLoss, -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, 1e-6);
  });

  it('multiclass example with a tied score in the one-vs-rest AUC', () => {
    const yTrue = Float32Array.from([0, 1, 2, 2]);
    const proba = Float32Array.from([0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.1, 0.2, 0.7, 0.3, 0.4, 0.3]);
    const m = classificationMetrics(yTrue, proba, ['a', 'b', 'c']);
    assert.deepEqual(m.confusionMatrix, [[1, 0, 0], [0, 1, 0], [0, 1, 1]]);
    close(m.accuracy, 0.75);
    close(m.precision, 2.5 / 3);
    close(m.recall, 2.5 / 3);
    close(m.f1, (1 + 2 / 3 + 2 / 3) / 3);
    close(m.rocAuc, (1 + 1 + 0.875) / 3);
    close(m.logLoss, -(Math.log(0.6) + Math.log(0.5) + Math.log(0.7) + Math.log(0.3)) / 4, 1e-6);
  });

  it('clips zero probabilities in logLoss instead of returning Infinity', () => {
    const m = classificationMetrics(Float32Array.from([1]), Float32Array.from([1, 0]), ['0', '1']);
    close(m.logLoss, -Math.log(1e-15), 1e-9);
    assert.equal(m.rocAuc, null);
  });
});

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 for all ties', () => {
    assert.equal(rocAuc([false, false, true, true], [0.1, 0.2, 0.8, 0.9]), 1);
    assert.equal(rocAuc([true, true, false, false], [0.1, 0.2, 0.8, 0.9]), 0);
    assert.equal(rocAuc([true, false, true, false], [0.5, 0.5, 0.5, 0.5]), 0.5);
  });
});

describe('regressionMetrics', () => {
  it('matches a hand-computed example and skips zero targets in mape', () => {
    const m = regressionMetrics([1, 2, 0, 4], [1.5, 1.5, 0.5, 3]);
    close(m.mae, 0.625);
    close(m.rmse, Math.sqrt(0.4375));
    close(m.mape, 1 / 3);
    close(m.r2, 0.8);
  });

  it('handles constant targets and all-zero targets', () => {
    assert.deepEqual(regressionMetrics([0, 0], [0, 0]), { mae: 0, rmse: 0, mape: null, r2: 1 });
    assert.equal(regressionMetrics([2, 2], [1, 3]).r2, 0);
  });
});
