import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpareBuffers } from './spare-buffers';

describe('SpareBuffers', () => {
  it('hands back a buffer it was given when it fits, and a new one when none does', () => {
    const spare = new SpareBuffers(4);
    const given = new ArrayBuffer(8 * 1000);
    spare.give([given]);
    const reused = spare.float64(990);
    assert.equal(reused.buffer, given, 'a slightly larger spare is reused');
    assert.equal(reused.length, 990);
    assert.equal(spare.size, 0);
    const fresh = spare.int32(100);
    assert.notEqual(fresh.buffer, given);
    assert.ok(fresh.buffer.byteLength >= 400);
  });

  it('picks the smallest spare that fits and leaves one far too large for a bigger request', () => {
    const spare = new SpareBuffers(4);
    const huge = new ArrayBuffer(1 << 20);
    const snug = new ArrayBuffer(4 * 1100);
    spare.give([huge, snug]);
    assert.equal(spare.int32(1000).buffer, snug);
    assert.notEqual(spare.int32(1000).buffer, huge, 'a spare many times the request would waste memory');
    assert.equal(spare.size, 1);
  });

  it('keeps at most its limit and drops empty buffers', () => {
    const spare = new SpareBuffers(2);
    spare.give([new ArrayBuffer(64), new ArrayBuffer(0), new ArrayBuffer(64), new ArrayBuffer(64)]);
    assert.equal(spare.size, 2);
  });
});
