import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableParallelism } from 'node:os';
import { EngineThread, withEngineLane, writtenParameters } from './engine-thread';

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
  const libc = { path: 'libc.so.6', signatures: { memcmp: 'int memcmp(const void *a, const void *b, size_t n)', getpid: 'int getpid()', gettid: 'int gettid()' }, lastErrorFunction: 'getpid' };

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

  it('gives concurrent work a thread each, and keeps one piece of work on one thread', { skip: process.platform !== 'linux' || availableParallelism() < 2 }, async () => {
    // gettid returns the calling OS thread's id (its return code here is that id).
    const tid = async () => (await EngineThread.for(libc).call('gettid', [])).rc;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = withEngineLane(async () => {
      const before = await tid();
      await held;
      return [before, await tid(), await withEngineLane(tid)];
    });
    const second = withEngineLane(tid);
    const other = await second;
    release();
    const [before, after, nested] = await first;
    assert.equal(after, before, 'a lane calls from one thread');
    assert.equal(nested, before, 'nested work stays in its lane');
    assert.notEqual(other, before, 'concurrent work runs on another thread');
    assert.notEqual(before, process.pid, 'off the main thread');
    assert.equal(await withEngineLane(tid), before, 'with nothing else running, work goes to the first lane');
  });
});
