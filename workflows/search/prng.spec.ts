/* eslint-disable @typescript-eslint/no-restricted-imports -- specs run under node:test, never in the workflow sandbox */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, seedRng } from './prng';

const draws = (seed: number, n: number) => {
  const rng = new Rng(seedRng(seed));
  return Array.from({ length: n }, () => rng.uniform());
};

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for neighbouring seeds', () => {
    assert.deepEqual(draws(7, 100), draws(7, 100));
    assert.notDeepEqual(draws(7, 10), draws(8, 10));
    assert.notDeepEqual(draws(0, 10), draws(2 ** 32, 10), 'high bits of the seed count too');
  });

  it('resumes exactly from JSON-serialised state', () => {
    const rng = new Rng(seedRng(42));
    for (let i = 0; i < 17; i++) rng.uint32();
    const carried = JSON.parse(JSON.stringify(rng.state()));
    const resumed = new Rng(carried);
    assert.deepEqual(Array.from({ length: 50 }, () => resumed.uniform()), Array.from({ length: 50 }, () => rng.uniform()));
  });

  it('never mutates the state it was built from', () => {
    const state = seedRng(3);
    const copy = JSON.parse(JSON.stringify(state));
    new Rng(state).uniform();
    assert.deepEqual(state, copy);
  });

  it('draws uniforms in [0, 1) and normals with mean 0 and variance 1', () => {
    const rng = new Rng(seedRng(1));
    const u = Array.from({ length: 20000 }, () => rng.uniform());
    assert.ok(u.every((x) => x >= 0 && x < 1));
    assert.ok(Math.abs(u.reduce((s, x) => s + x, 0) / u.length - 0.5) < 0.01);
    const z = Array.from({ length: 20000 }, () => rng.normal());
    const mean = z.reduce((s, x) => s + x, 0) / z.length;
    const variance = z.reduce((s, x) => s + (x - mean) ** 2, 0) / z.length;
    assert.ok(Math.abs(mean) < 0.03 && Math.abs(variance - 1) < 0.05, `mean ${mean}, variance ${variance}`);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[rng.int(6)]++;
    assert.ok(counts.every((c) => c > 850 && c < 1150), String(counts));
  });
});
