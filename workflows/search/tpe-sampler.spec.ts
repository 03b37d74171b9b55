/* eslint-disable @typescript-eslint/no-restricted-imports -- specs run under node:test, never in the workflow sandbox */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSampler } from './sampler';
import type { Direction, TrialRecord } from './sampler.types';
import type { ParamValues, SearchSpace } from './search-space';
import { fitJointParzen } from './joint-parzen';
import { goodCount, recencyWeights } from './tpe-sampler';

function run(kind: 'random' | 'tpe', space: SearchSpace, seed: number, n: number, objective: (p: ParamValues) => number, direction: Direction = 'minimize', multivariate?: boolean): TrialRecord[] {
  const sampler = createSampler(kind, space, { seed, direction, multivariate });
  const history: TrialRecord[] = [];
  let state: unknown = null;
  for (let i = 0; i < n; i++) {
    const s = sampler.suggest(state, history);
    state = s.state;
    history.push({ number: i, params: s.params!, status: 'completed', value: objective(s.params!) });
  }
  return history;
}

const best = (trials: TrialRecord[]) => Math.min(...trials.map((t) => t.value!));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

describe('tpe', () => {
  it('concentrates around the optimum of a 1-D quadratic', () => {
    const space: SearchSpace = { x: { type: 'float', low: -10, high: 10 } };
    for (const seed of [1, 2, 3, 4, 5]) {
      const trials = run('tpe', space, seed, 60, (p) => (Number(p.x) - 3.3) ** 2);
      const late = trials.slice(40).map((t) => Number(t.params.x));
      const near = late.filter((x) => Math.abs(x - 3.3) < 1).length;
      // TPE keeps exploring through its prior kernel, so "most", not all: ≥ 60% within a tenth of the range.
      assert.ok(near >= 0.6 * late.length, `seed ${seed}: only ${near}/${late.length} late suggestions within ±1 of 3.3`);
      assert.ok(best(trials) < 0.01, `seed ${seed}: best ${best(trials)}`);
    }
  });

  it('maximises when asked to', () => {
    const trials = run('tpe', { x: { type: 'float', low: 0, high: 1 } }, 4, 50, (p) => -((Number(p.x) - 0.8) ** 2), 'maximize');
    const late = trials.slice(30).map((t) => Number(t.params.x));
    assert.ok(late.filter((x) => Math.abs(x - 0.8) < 0.1).length >= 14, late.join(' '));
  });

  it('beats random search on a 2-D function on average over seeds', () => {
    // Branin on its usual box; minimum 0.397887 at three points.
    const branin = (p: ParamValues) => {
      const x1 = Number(p.x1);
      const x2 = Number(p.x2);
      return (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
    };
    const space: SearchSpace = { x1: { type: 'float', low: -5, high: 10 }, x2: { type: 'float', low: 0, high: 15 } };
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const tpe = seeds.map((s) => best(run('tpe', space, s, 60, branin)) - 0.397887);
    const random = seeds.map((s) => best(run('random', space, s, 60, branin)) - 0.397887);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(tpe) < mean(random) && median(tpe) < median(random), `regret tpe ${tpe.map((x) => x.toFixed(3))} vs random ${random.map((x) => x.toFixed(3))}`);
  });

  it('finds the good branch of a conditional space and tunes the parameter that lives only there', () => {
    const space: SearchSpace = {
      kind: { type: 'categorical', choices: ['a', 'b', 'c'] },
      y: { type: 'float', low: 0, high: 1, condition: { param: 'kind', in: ['b'] } },
    };
    const trials = run('tpe', space, 2, 60, (p) => (p.kind === 'b' ? (Number(p.y) - 0.25) ** 2 : 1));
    const late = trials.slice(40);
    assert.ok(late.filter((t) => t.params.kind === 'b').length >= 16);
    assert.ok(late.every((t) => ('y' in t.params) === (t.params.kind === 'b')));
    assert.ok(best(trials) < 1e-3);
  });

  it('keeps log-scale and integer suggestions inside their bounds while converging near an edge', () => {
    const space: SearchSpace = { lr: { type: 'float', low: 1e-4, high: 1, log: true }, n: { type: 'int', low: 1, high: 64, log: true } };
    const objective = (p: ParamValues) => Math.log10(Number(p.lr)) + 4 + Math.abs(Number(p.n) - 64);
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const random = median(seeds.map((seed) => best(run('random', space, seed, 60, objective))));
    for (const multivariate of [true, false]) {
      const bests = seeds.map((seed) => {
        const trials = run('tpe', space, seed, 60, objective, 'minimize', multivariate);
        for (const { params } of trials) {
          assert.ok(Number(params.lr) >= 1e-4 && Number(params.lr) <= 1);
          assert.ok(Number.isInteger(params.n) && Number(params.n) >= 1 && Number(params.n) <= 64);
        }
        return best(trials);
      });
      // Both optima sit on an edge (lr = 1e-4, n = 64); random search's median best here is about 8.
      assert.ok(median(bests) < 1.5 && median(bests) < random / 4, `multivariate ${multivariate}: median best ${median(bests)}, random ${random}`);
    }
  });

  it('models interacting parameters jointly: multivariate beats one-at-a-time on Hartmann-6 over seeds', () => {
    const a = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
    const p = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];
    const alpha = [1, 1.2, 3, 3.2];
    const hartmann6 = (x: ParamValues) =>
      -alpha.reduce((sum, al, i) => sum + al * Math.exp(-a[i].reduce((e, aij, j) => e + aij * (Number(x[`x${j}`]) - p[i][j] * 1e-4) ** 2, 0)), 0);
    const space: SearchSpace = Object.fromEntries([0, 1, 2, 3, 4, 5].map((j) => [`x${j}`, { type: 'float', low: 0, high: 1 }]));
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const joint = seeds.map((seed) => best(run('tpe', space, seed, 60, hartmann6, 'minimize', true)));
    const independent = seeds.map((seed) => best(run('tpe', space, seed, 60, hartmann6, 'minimize', false)));
    assert.ok(median(joint) < median(independent), `median best: joint ${median(joint)} vs independent ${median(independent)}`);
  });

  it('treats pruned and failed trials sensibly: pruned count as bad, failed are ignored', () => {
    const space: SearchSpace = { x: { type: 'float', low: 0, high: 1 } };
    const history: TrialRecord[] = Array.from({ length: 20 }, (_, i) => ({ number: i, params: { x: i / 19 }, status: 'completed' as const, value: Math.abs(i / 19 - 0.5) }));
    history.push({ number: 20, params: { x: 0.5 }, status: 'failed', value: null }, { number: 21, params: { x: 0.9 }, status: 'pruned', value: null });
    const sampler = createSampler('tpe', space, { seed: 1, direction: 'minimize' });
    let state: unknown = null;
    const xs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = sampler.suggest(state, history);
      state = s.state;
      xs.push(Number(s.params!.x));
    }
    assert.ok(median(xs) > 0.35 && median(xs) < 0.65, xs.join(' '));
  });
});

describe('tpe helpers', () => {
  it('goodCount follows min(ceil(0.1·n), 25), or a fixed fraction', () => {
    assert.deepEqual([1, 10, 11, 100, 1000].map((n) => goodCount(n, undefined)), [1, 1, 2, 10, 25]);
    assert.equal(goodCount(10, 0.25), 3);
  });

  it('recencyWeights are flat up to 25 and ramp up to the newest 25 after', () => {
    assert.deepEqual(recencyWeights(3), [1, 1, 1]);
    const w = recencyWeights(50);
    assert.equal(w.length, 50);
    assert.ok(Math.abs(w[0] - 1 / 50) < 1e-12);
    assert.ok(w.slice(25).every((x) => x === 1));
    assert.ok(w.slice(0, 25).every((x, i, a) => i === 0 || x > a[i - 1]));
  });

  it('fitJointParzen caps a kernel as wide as its neighbour gap at 0.15·n^(−1/(d+4)) of the range, unless told not to', () => {
    const space: SearchSpace = { x: { type: 'float', low: 0, high: 10 }, y: { type: 'float', low: 0, high: 10 } };
    const trials = [{ params: { x: 0, y: 5 }, weight: 1 }, { params: { x: 10, y: 5 }, weight: 1 }];
    const sigmaOf = (capped: boolean, k: number) => {
      const d = fitJointParzen(space, ['x', 'y'], trials, 1, 2, capped).dimensions[0];
      return d.kind === 'numeric' ? d.kernels.sigmas[k] : NaN;
    };
    const cap = 0.15 * 2 ** (-1 / 6) * 10;
    assert.ok(Math.abs(sigmaOf(true, 0) - cap) < 1e-12, `${sigmaOf(true, 0)} vs ${cap}`);
    assert.equal(sigmaOf(false, 0), 10, 'the gap to the other trial, uncapped');
    assert.equal(sigmaOf(true, 2), 10, 'the prior kernel spans the range either way');
  });
});
