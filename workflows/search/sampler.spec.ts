/* eslint-disable @typescript-eslint/no-restricted-imports -- specs run under node:test, never in the workflow sandbox */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSampler, gridSize, InvalidSamplerStateError } from './sampler';
import type { TrialRecord } from './sampler.types';
import type { ParamValues, SearchSpace } from './search-space';

const SPACE: SearchSpace = {
  maxDepth: { type: 'int', low: 3, high: 10 },
  learningRate: { type: 'float', low: 0.001, high: 0.3, log: true },
  booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
  rateDrop: { type: 'float', low: 0, high: 0.5, step: 0.1, condition: { param: 'booster', in: ['dart'] } },
  leaves: { type: 'int', low: 2, high: 1024, log: true },
};

/** Runs a sequential study, feeding each suggestion's objective value back as a completed trial. */
function run(kind: 'random' | 'grid' | 'tpe', space: SearchSpace, seed: number, n: number, objective: (p: ParamValues) => number = () => 0): TrialRecord[] {
  const sampler = createSampler(kind, space, { seed, direction: 'minimize' });
  const history: TrialRecord[] = [];
  let state: unknown = null;
  for (let i = 0; i < n; i++) {
    const s = sampler.suggest(state, history);
    state = JSON.parse(JSON.stringify(s.state));
    if (!s.params) break;
    history.push({ number: i, params: s.params, status: 'completed', value: objective(s.params) });
  }
  return history;
}

const toy = (p: ParamValues) => (Number(p.maxDepth) - 6) ** 2 + Math.log(Number(p.learningRate) / 0.05) ** 2 + (p.booster === 'dart' ? Number(p.rateDrop) : 0.2);

describe('createSampler: determinism', () => {
  for (const kind of ['random', 'tpe'] as const) {
    it(`${kind}: the same seed gives the same suggestions, another seed different ones`, () => {
      const a = run(kind, SPACE, 11, 30, toy).map((t) => t.params);
      assert.deepEqual(run(kind, SPACE, 11, 30, toy).map((t) => t.params), a);
      assert.notDeepEqual(run(kind, SPACE, 12, 30, toy).map((t) => t.params), a);
    });
  }

  it('suggest is pure: calling it twice with the same inputs gives the same output and leaves them untouched', () => {
    const sampler = createSampler('tpe', SPACE, { seed: 5, direction: 'minimize' });
    const history = run('random', SPACE, 1, 15, toy);
    const frozen = JSON.stringify(history);
    const first = sampler.suggest(null, history);
    assert.deepEqual(sampler.suggest(null, history), first);
    assert.deepEqual(sampler.suggest(first.state, history), sampler.suggest(JSON.parse(JSON.stringify(first.state)), history));
    assert.notDeepEqual(sampler.suggest(first.state, history).params, first.params);
    assert.equal(JSON.stringify(history), frozen);
  });

  it('rejects a carried state it did not produce', () => {
    const sampler = createSampler('random', SPACE, { seed: 5, direction: 'minimize' });
    assert.throws(() => sampler.suggest({ rng: { s: [0, 0, 0, 0] }, suggested: 0 }, []), InvalidSamplerStateError);
    assert.throws(() => sampler.suggest({ seed: 1 }, []), InvalidSamplerStateError);
  });
});

describe('createSampler: bounds and conditions', () => {
  for (const kind of ['random', 'tpe'] as const) {
    it(`${kind}: values stay in bounds, on their steps, and conditional params appear only when active`, () => {
      const trials = run(kind, SPACE, 3, 80, toy);
      for (const { params: p } of trials) {
        assert.ok(Number.isInteger(p.maxDepth) && Number(p.maxDepth) >= 3 && Number(p.maxDepth) <= 10);
        assert.ok(Number(p.learningRate) >= 0.001 && Number(p.learningRate) <= 0.3, `learningRate ${String(p.learningRate)}`);
        assert.ok(Number.isInteger(p.leaves) && Number(p.leaves) >= 2 && Number(p.leaves) <= 1024);
        assert.equal('rateDrop' in p, p.booster === 'dart');
        if (p.booster === 'dart') assert.ok([0, 0.1, 0.2, 0.3, 0.4, 0.5].includes(Number(p.rateDrop)), `rateDrop ${String(p.rateDrop)}`);
      }
      assert.ok(trials.some((t) => t.params.booster === 'dart') && trials.some((t) => t.params.booster === 'gbtree'));
    });
  }

  it('random: log-scale draws spread evenly over orders of magnitude and reach both ends', () => {
    const lr = run('random', { lr: { type: 'float', low: 1e-5, high: 1, log: true } }, 9, 2000).map((t) => Number(t.params.lr));
    assert.ok(lr.every((x) => x >= 1e-5 && x <= 1));
    const decades = new Array(5).fill(0);
    for (const x of lr) decades[Math.min(4, Math.floor(Math.log10(x) + 5))]++;
    assert.ok(decades.every((c) => c > 320 && c < 480), String(decades));
    const n = run('random', { n: { type: 'int', low: 1, high: 4, log: true } }, 9, 400).map((t) => Number(t.params.n));
    assert.deepEqual([...new Set(n)].sort(), [1, 2, 3, 4]);
  });
});

describe('createSampler: grid', () => {
  it('covers the space exactly once, then reports exhaustion', () => {
    const space: SearchSpace = {
      depth: { type: 'int', low: 1, high: 3 },
      booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
      rateDrop: { type: 'float', low: 0, high: 0.2, step: 0.1, condition: { param: 'booster', in: ['dart'] } },
    };
    const trials = run('grid', space, 1, 100);
    // 3 depths × (gbtree + dart × 3 rate drops) = 12
    assert.equal(trials.length, 12);
    assert.equal(gridSize(space), 12);
    const keys = trials.map((t) => JSON.stringify(t.params));
    assert.equal(new Set(keys).size, 12);
    for (const depth of [1, 2, 3]) {
      assert.ok(keys.includes(JSON.stringify({ depth, booster: 'gbtree' })));
      for (const rateDrop of [0, 0.1, 0.2]) assert.ok(keys.includes(JSON.stringify({ depth, booster: 'dart', rateDrop })));
    }
    const sampler = createSampler('grid', space, { seed: 1, direction: 'minimize' });
    let state: unknown = null;
    for (let i = 0; i < 12; i++) state = sampler.suggest(state, []).state;
    const done = sampler.suggest(state, []);
    assert.equal(done.params, null);
    assert.deepEqual(sampler.suggest(done.state, []).params, null);
  });

  it('spreads 5 points over continuous ranges, on the log axis for log params', () => {
    const trials = run('grid', { lr: { type: 'float', low: 0.0001, high: 1, log: true }, x: { type: 'float', low: -1, high: 1 }, n: { type: 'int', low: 0, high: 100 } }, 1, 1000);
    assert.equal(trials.length, 125);
    assert.deepEqual([...new Set(trials.map((t) => t.params.lr))], [0.0001, 0.001, 0.01, 0.1, 1]);
    assert.deepEqual([...new Set(trials.map((t) => t.params.x))], [-1, -0.5, 0, 0.5, 1]);
    assert.deepEqual([...new Set(trials.map((t) => t.params.n))], [0, 25, 50, 75, 100]);
    assert.equal(gridSize({ n: { type: 'int', low: 3, high: 5 } }), 3, 'small int ranges are enumerated in full');
  });
});
