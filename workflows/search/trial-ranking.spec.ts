/* eslint-disable @typescript-eslint/no-restricted-imports -- specs run under node:test, never in the workflow sandbox */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrialOutcome } from '@trainyard/contracts';
import { keepBest, ranked } from './trial-ranking';

/** Trial number → objective value. */
function outcomes(values: Record<number, number>): Map<number, TrialOutcome> {
  const trained = { model: { key: 'm', sha256: 'x', size: 1, encoding: 'identity' as const }, engine: 'xgboost', engineVersion: '3', featureImportance: [] };
  return new Map(Object.entries(values).map(([n, value]) => [Number(n), { value, trained }]));
}

describe('ranked', () => {
  it('orders completed trials best first, by the objective’s direction', () => {
    const trials = outcomes({ 0: 0.7, 1: 0.9, 2: 0.8 });
    assert.deepEqual(ranked(trials, 'maximize').map(([n]) => n), [1, 2, 0]);
    assert.deepEqual(ranked(trials, 'minimize').map(([n]) => n), [0, 2, 1]);
  });

  it('ranks the earlier of two equal trials first, either way', () => {
    const trials = outcomes({ 5: 0.5, 3: 0.5, 4: 0.9 });
    assert.deepEqual(ranked(trials, 'maximize').map(([n]) => n), [4, 3, 5]);
    assert.deepEqual(ranked(trials, 'minimize').map(([n]) => n), [3, 5, 4]);
  });
});

describe('keepBest', () => {
  it('forgets every trial but the best k', () => {
    const trials = outcomes({ 0: 0.7, 1: 0.9, 2: 0.8, 3: 0.6 });
    keepBest(trials, 'maximize', 2);
    assert.deepEqual([...trials.keys()].sort(), [1, 2]);
    keepBest(trials, 'minimize', 1);
    assert.deepEqual([...trials.keys()], [2]);
  });

  it('keeps all when there are no more than k, and none for k of 0 or less', () => {
    const trials = outcomes({ 0: 0.1, 1: 0.2 });
    keepBest(trials, 'maximize', 5);
    assert.equal(trials.size, 2);
    keepBest(trials, 'maximize', -1);
    assert.equal(trials.size, 0);
  });
});
