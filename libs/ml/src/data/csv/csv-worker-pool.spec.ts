import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CsvWorkerPool } from './csv-worker-pool';

const OPTIONS = { delimiter: 0x2c, width: 2, maxRows: Infinity };
/** A block owns its memory from offset 0, as recordBlocks' are, since its buffer moves to the worker. */
function block(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

describe('CsvWorkerPool', () => {
  it('keeps its threads from one read to the next', async () => {
    const first = CsvWorkerPool.acquire(2);
    const parsed = await Promise.all([first.parse(block('1,a\n2,b\n'), OPTIONS, 0), first.parse(block('3,c\n'), OPTIONS, 0)]);
    assert.deepEqual(parsed.map((r) => r.rows), [2, 1]);
    assert.equal(first.threads, 2);
    first.release();

    const second = CsvWorkerPool.acquire(2);
    assert.equal(second, first, 'one pool per size in a process');
    assert.equal((await second.parse(block('4,d\n'), OPTIONS, 0)).rows, 1);
    assert.equal(second.threads, 2, 'no new thread was started');
    second.release();
  });

  it('fails only the block whose thread died, and starts another thread for the next', async () => {
    const pool = CsvWorkerPool.acquire(1);
    // A block must end with a line break: the worker throws, which ends its thread.
    await assert.rejects(pool.parse(block('1,a'), OPTIONS, 0), /must end with a line break/);
    assert.equal((await pool.parse(block('2,b\n'), OPTIONS, 0)).rows, 1);
    assert.equal(pool.threads, 1);
    pool.release();
  });

  it('starts its threads up front when asked, and parses on them', async () => {
    const pool = CsvWorkerPool.acquire(3).start();
    assert.equal(pool.threads, 3);
    const parsed = await Promise.all(['1,a\n', '2,b\n3,c\n', '4,d\n', '5,e\n'].map((text) => pool.parse(block(text), OPTIONS, 0)));
    assert.deepEqual(parsed.map((r) => r.rows), [1, 2, 1, 1]);
    assert.equal(pool.threads, 3, 'no thread beyond the pool size');
    pool.release();
  });

  it('does not keep the process alive once the read is over', async () => {
    const script = `
      const { CsvWorkerPool } = require(${JSON.stringify(require.resolve('./csv-worker-pool'))});
      const pool = CsvWorkerPool.acquire(2).start();
      const bytes = Buffer.allocUnsafeSlow(4);
      bytes.write('1,a\\n');
      pool.parse(bytes, { delimiter: 44, width: 2, maxRows: Infinity }, 0).then((r) => { pool.release(); console.log(r.rows); });`;
    // Idle threads are kept for minutes; the child must exit long before that.
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { timeout: 30_000 });
    assert.equal(stdout.trim(), '1');
  });
});
