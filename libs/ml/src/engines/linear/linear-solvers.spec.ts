import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { choleskySolve } from './cholesky';
import { minimizeLbfgs } from './lbfgs';
import { toLinearData } from './linear-data';
import { crossEntropySum } from './logistic-loss';
import { fitRidge } from './ridge';
import { seededRandom } from '../synthetic-matrices';

describe('linear solvers', () => {
  it('choleskySolve solves an SPD system and refuses a singular one', () => {
    const x = choleskySolve(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2)!;
    assert.ok(Math.abs(x[0]! - 0.5) < 1e-12 && Math.abs(x[1]!) < 1e-12);
    assert.equal(choleskySolve(Float64Array.from([1, 1, 1, 1]), Float64Array.from([1, 1]), 2), null);
  });

  it('fitRidge recovers exact coefficients with l2 = 0 and shrinks them with l2 > 0', () => {
    const random = seededRandom(3);
    const rows = 200;
    const data = Float32Array.from({ length: rows * 3 }, () => random() * 2 - 1);
    const labels = Float32Array.from({ length: rows }, (_, i) => 1 + 3 * data[i * 3]! - 2 * data[i * 3 + 1]! + 0.5 * data[i * 3 + 2]!);
    const exact = fitRidge(toLinearData(rows, 3, data, labels), 0, true);
    [3, -2, 0.5].forEach((w, f) => assert.ok(Math.abs(exact.weights[f]! - w) < 1e-5));
    assert.ok(Math.abs(exact.intercept - 1) < 1e-5);
    const shrunk = fitRidge(toLinearData(rows, 3, data, labels), 50, true);
    assert.ok(Math.abs(shrunk.weights[0]!) < 3);
  });

  it('fitRidge survives duplicated columns with l2 = 0', () => {
    const data = Float32Array.from([1, 1, 2, 2, 3, 3, 4, 4]);
    const fit = fitRidge(toLinearData(4, 2, data, Float32Array.from([2, 4, 6, 8])), 0, true);
    assert.ok(Math.abs(fit.weights[0]! + fit.weights[1]! - 2) < 1e-4);
  });

  it('cross-entropy gradient matches finite differences (binary and softmax)', () => {
    const random = seededRandom(5);
    const rows = 30;
    const data = Float32Array.from({ length: rows * 4 }, () => random() * 2 - 1);
    for (const outputs of [1, 3]) {
      const labels = Float32Array.from({ length: rows }, () => Math.floor(random() * (outputs === 1 ? 2 : 3)));
      const set = toLinearData(rows, 4, data, labels);
      const coefs = Float64Array.from({ length: 5 * outputs }, () => random() - 0.5);
      const grad = new Float64Array(coefs.length);
      crossEntropySum(set, coefs, outputs, grad);
      for (let i = 0; i < coefs.length; i++) {
        const h = 1e-6;
        const up = Float64Array.from(coefs);
        const down = Float64Array.from(coefs);
        up[i] = up[i]! + h;
        down[i] = down[i]! - h;
        const numeric = (crossEntropySum(set, up, outputs, null) - crossEntropySum(set, down, outputs, null)) / (2 * h);
        assert.ok(Math.abs(numeric - grad[i]!) < 1e-5, `outputs ${outputs} coef ${i}: ${numeric} vs ${grad[i]}`);
      }
    }
  });

  it('minimizeLbfgs finds the minimum of an ill-conditioned quadratic', () => {
    const scales = [1, 10, 100, 1000];
    const result = minimizeLbfgs(
      (x, g) => {
        let f = 0;
        scales.forEach((s, i) => {
          const d = x[i]! - (i + 1);
          f += 0.5 * s * d * d;
          g[i] = s * d;
        });
        return f;
      },
      new Float64Array(4),
      { maxIterations: 200, tolerance: 1e-9 },
    );
    assert.ok(result.converged);
    scales.forEach((_, i) => assert.ok(Math.abs(result.x[i]! - (i + 1)) < 1e-8));
  });
});
