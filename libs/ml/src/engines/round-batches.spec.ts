import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoundBatches, roundsToBoundary } from './round-batches';

describe('round batches', () => {
  it('starts with one round, then fits about 25 ms of rounds per trip at the recent pace', () => {
    const batches = new RoundBatches();
    assert.equal(batches.next(100), 1);
    batches.observe(1, 1);
    assert.equal(batches.next(100), 25);
    batches.observe(25, 25 * 3); // slower rounds now: the pace estimate moves halfway
    assert.equal(batches.next(100), 12);
  });

  it('keeps one round per trip when rounds are slow, and never runs past the limit or 64', () => {
    const slow = new RoundBatches();
    slow.observe(1, 400);
    assert.equal(slow.next(100), 1);
    const fast = new RoundBatches();
    fast.observe(1, 0.01);
    assert.equal(fast.next(1000), 64);
    assert.equal(fast.next(7), 7);
  });

  it('counts rounds to the next checkpoint or the end', () => {
    assert.equal(roundsToBoundary(0, 100, 25), 25);
    assert.equal(roundsToBoundary(30, 100, 25), 20);
    assert.equal(roundsToBoundary(90, 100, 25), 10);
    assert.equal(roundsToBoundary(30, 100, undefined), 70);
  });
});
