import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SentIds } from './live-feed';

describe('SentIds', () => {
  it('sends an id committed late (below the newest) once, and nothing at or below where it started', () => {
    const sent = new SentIds(100n);
    assert.equal(sent.accept(100n), false, 'the starting point was sent before');
    assert.equal(sent.accept(102n), true);
    assert.equal(sent.readAfter(), 100n, 'never reads below where the subscriber started');
    assert.equal(sent.accept(101n), true, 'a late commit below the newest id');
    assert.equal(sent.accept(102n), false);
    assert.equal(sent.accept(101n), false);
    assert.equal(sent.newest, 102n);
  });

  it('reads a window below the newest id once far from the start, and forgets what fell out of it', () => {
    const sent = new SentIds(0n);
    for (let id = 1n; id <= 5000n; id++) assert.equal(sent.accept(id), true);
    assert.equal(sent.readAfter(), 4000n);
    assert.equal(sent.accept(4500n), false, 'still remembered inside the window');
    assert.equal(sent.accept(4999n), false);
  });
});
