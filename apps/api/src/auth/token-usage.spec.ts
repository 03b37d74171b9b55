import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenUsage } from './token-usage';

describe('TokenUsage', () => {
  it('writes a token’s use at most once a minute, and again once a write failed', async () => {
    let now = 1_000_000;
    const writes: string[] = [];
    let fail = false;
    const usage = new TokenUsage(async (id) => {
      writes.push(id);
      if (fail) throw new Error('database down');
    }, 60_000, () => now);
    for (let i = 0; i < 100; i++) usage.touch('a');
    usage.touch('b');
    assert.deepEqual(writes, ['a', 'b'], 'one write per token, not one per request');
    now += 59_999;
    usage.touch('a');
    assert.equal(writes.length, 2);
    now += 1;
    fail = true;
    usage.touch('a');
    assert.deepEqual(writes, ['a', 'b', 'a']);
    await new Promise((r) => setImmediate(r));
    fail = false;
    usage.touch('a');
    assert.deepEqual(writes, ['a', 'b', 'a', 'a'], 'the failed write is tried again on the next request');
  });
});
