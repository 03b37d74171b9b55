import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { CsvBlockReply, CsvBlockTask, CsvWorkerMessage } from './csv-block-worker';
import type { CsvBlockOptions, CsvBlockResult } from './parse-csv-block';

/**
 * Idle workers are kept this long for the next read: a long-running process (a Temporal worker) then reads with
 * threads whose parser V8 has already compiled, which on a fresh thread costs its first two blocks half again.
 */
const KEEP_IDLE_MS = 5 * 60_000;
const WORKER_SCRIPT = join(__dirname, 'csv-block-worker.js');

interface Job {
  task: CsvBlockTask;
  resolve: (result: CsvBlockResult) => void;
  reject: (err: unknown) => void;
}

/**
 * A few worker threads parsing CSV blocks, shared by the reads of the process; results come back in any order,
 * each to its own promise. Threads start on first use, do not keep the process alive while idle, and end after
 * KEEP_IDLE_MS without a read; the memory they keep for reuse is given up as soon as no read is under way.
 */
export class CsvWorkerPool {
  private static readonly pools = new Map<number, CsvWorkerPool>();

  private readonly workers = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  /** Column buffers copied out of earlier results, going back with the next task to be reused. */
  private spare: ArrayBuffer[] = [];
  /** Blocks' byte buffers the workers are done with. */
  private inputs: ArrayBuffer[] = [];
  private reads = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  private constructor(private readonly size: number) {}

  /** The process's pool of `size` workers, for one read; call release() when the read is over. */
  static acquire(size: number): CsvWorkerPool {
    let pool = CsvWorkerPool.pools.get(size);
    if (!pool) CsvWorkerPool.pools.set(size, (pool = new CsvWorkerPool(size)));
    pool.reads++;
    if (pool.idleTimer) clearTimeout(pool.idleTimer);
    pool.idleTimer = null;
    return pool;
  }

  /** Starts the pool's missing threads now rather than at the first block, so they boot meanwhile. */
  start(): this {
    while (this.workers.size < this.size) this.idle.push(this.spawn());
    return this;
  }

  /** Threads running now, idle or at work. */
  get threads(): number {
    return this.workers.size;
  }

  /** A read is over: with none left, the reusable memory goes and the threads are kept a while, then ended. */
  release(): void {
    if (--this.reads > 0) return;
    this.spare = [];
    this.inputs = [];
    for (const worker of this.idle) worker.postMessage({ trim: true } satisfies CsvWorkerMessage);
    this.idleTimer = setTimeout(() => void this.close(), KEEP_IDLE_MS).unref();
  }

  /** Parses bytes[start, end) in a worker; the block's buffer moves to the worker and is unusable here afterwards. */
  parse(bytes: Buffer, options: CsvBlockOptions, start: number): Promise<CsvBlockResult> {
    if (bytes.byteOffset !== 0) throw new Error('a CSV block must start at the start of its own buffer');
    const buffer = bytes.buffer as ArrayBuffer;
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { buffer, start, length: bytes.length, options, spare: [] }, resolve, reject });
      this.dispatch();
    });
  }

  /** A block buffer of at least `bytes` that a worker has finished parsing, to read another block into. */
  spareBlock(bytes: number): ArrayBuffer | undefined {
    const i = this.inputs.findIndex((b) => b.byteLength >= bytes);
    return i < 0 ? undefined : this.inputs.splice(i, 1)[0];
  }

  /** Hands back a result's buffers once nothing here uses them any more; they are unusable here afterwards. */
  recycle(buffers: readonly ArrayBuffer[]): void {
    this.spare.push(...buffers);
  }

  async close(): Promise<void> {
    this.idleTimer = null;
    const workers = [...this.workers];
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = this.size >= availableParallelism() ? bootCompilingInline() : new Worker(WORKER_SCRIPT);
    worker.on('message', ({ result, input }: CsvBlockReply) => {
      // Kept only while a read may want it; a failed read's last blocks may still come back after it is over.
      if (this.reads > 0) this.inputs.push(input);
      this.settle(worker, (job) => job.resolve(result));
    });
    worker.on('error', (err) => this.lose(worker, err));
    worker.on('exit', (code) => this.lose(worker, new Error(`CSV worker thread exited with code ${code}`)));
    // After the listeners: adding one refs the thread again.
    worker.unref();
    this.workers.add(worker);
    return worker;
  }

  private settle(worker: Worker, complete: (job: Job) => void): void {
    const job = this.running.get(worker);
    this.running.delete(worker);
    worker.unref();
    this.idle.push(worker);
    if (job) complete(job);
    this.dispatch();
  }

  /** A thread that died fails the block it had; the next block starts a new one. */
  private lose(worker: Worker, err: unknown): void {
    if (!this.workers.delete(worker)) return;
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    const job = this.running.get(worker);
    this.running.delete(worker);
    job?.reject(err);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.workers.size < this.size ? this.spawn() : null);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      // A thread at work keeps the process alive until its block is back.
      worker.ref();
      const spare = this.spare;
      this.spare = [];
      worker.postMessage({ ...job.task, spare } satisfies CsvWorkerMessage, [job.task.buffer, ...spare]);
    }
  }
}

let bootingInline = 0;
/** A V8 flag given on the command line (or in NODE_OPTIONS) is the user's choice, and is left alone. */
const userSetsCompilation = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes('concurrent-recompilation'));

/**
 * A worker thread whose isolate optimises hot functions on the thread itself rather than in V8's background
 * compiler. When the pool's threads fill every core, the background compiler gets no core, and a fresh thread parses
 * its first blocks with unoptimised code meanwhile: a cold read of 1M rows on 2 cores then takes about 10% longer.
 * V8 reads the flag when an isolate is created, so it is off only until the thread is online, and other isolates
 * keep concurrent compilation; the flag only decides where code is compiled, never what it does.
 */
function bootCompilingInline(): Worker {
  if (userSetsCompilation) return new Worker(WORKER_SCRIPT);
  if (bootingInline++ === 0) setFlagsFromString('--no-concurrent-recompilation');
  let booted = false;
  const done = () => {
    if (booted) return;
    booted = true;
    if (--bootingInline === 0) setFlagsFromString('--concurrent-recompilation');
  };
  try {
    const worker = new Worker(WORKER_SCRIPT);
    worker.once('online', done).once('error', done).once('exit', done);
    return worker;
  } catch (err) {
    done();
    throw err;
  }
}
