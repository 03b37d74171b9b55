import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('expires entries after the ttl, evicts the oldest past the bound, and deletes by predicate', () => {
    let now = 0;
    const cache = new TtlCache<string, number>(100, 2, () => now);
    cache.set('a', 1);
    now = 50;
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1);
    now = 100;
    assert.equal(cache.get('a'), undefined, 'a expired at 100');
    assert.equal(cache.get('b'), 2);
    cache.set('c', 3);
    cache.set('d', 4);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined, 'b was the oldest and went first');
    cache.deleteWhere((_, v) => v === 3);
    assert.equal(cache.get('c'), undefined);
    assert.equal(cache.get('d'), 4);
  });

  it('keeps nothing with a ttl of 0', () => {
    const cache = new TtlCache<string, number>(0, 10);
    cache.set('a', 1);
    assert.equal(cache.get('a'), undefined);
  });
});
