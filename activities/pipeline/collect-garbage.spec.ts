import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { collectGarbage } from './collect-garbage';

describe('collectGarbage', () => {
  it('collects without --expose-gc and leaves no gc in contexts made after it', () => {
    const hadGc = typeof globalThis.gc === 'function';
    collectGarbage();
    collectGarbage();
    assert.equal(typeof globalThis.gc === 'function', hadGc);
    assert.equal(runInNewContext('typeof gc'), hadGc ? 'function' : 'undefined');
  });
});
