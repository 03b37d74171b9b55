import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineThread, writtenParameters } from './engine-thread';

describe('writtenParameters', () => {
  it('returns koffi out-params and non-const buffers, not inputs', () => {
    assert.deepEqual(writtenParameters('int f(const float *data, uint64_t n, float missing, _Out_ void **out)'), [3]);
    assert.deepEqual(
      writtenParameters('int g(void *handle, const void *data, int32_t nrow, const char *parameter, _Out_ int64_t *out_len, double *out_result)'),
      [4, 5],
    );
    assert.deepEqual(writtenParameters('const char *h()'), []);
    assert.deepEqual(writtenParameters('int k(void)'), []);
  });
});

describe('EngineThread', () => {
  // libc stands in for an engine: memcmp reads two input buffers and says whether they hold the same bytes.
  const libc = { path: 'libc.so.6', signatures: { memcmp: 'int memcmp(const void *a, const void *b, size_t n)', getpid: 'int getpid()' }, lastErrorFunction: 'getpid' };

  it('hands large input buffers to the library in place, views at their offset, and leaves them usable', { skip: process.platform !== 'linux' }, async () => {
    const thread = EngineThread.for(libc);
    const a = new Uint8Array(4 << 20).map((_, i) => i % 251);
    const b = a.slice();
    assert.equal((await thread.call('memcmp', [a, b, a.length])).rc, 0);
    b[b.length - 1] ^= 1;
    assert.notEqual((await thread.call('memcmp', [a, b, a.length])).rc, 0, 'the last byte is read from the caller\'s buffer');
    const offset = 1 << 10;
    assert.equal((await thread.call('memcmp', [a.subarray(offset), a.slice(offset), a.length - offset])).rc, 0, 'a view starts at its own offset');
    assert.equal(a[7], 7, 'still usable after the call');
  });
});
