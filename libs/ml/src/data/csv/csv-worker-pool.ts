import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CsvBlockReply, CsvBlockTask } from './csv-block-worker';
import type { CsvBlockOptions, CsvBlockResult } from './parse-csv-block';

interface Job {
  task: CsvBlockTask;
  resolve: (result: CsvBlockResult) => void;
  reject: (err: unknown) => void;
}

/** A few worker threads parsing CSV blocks; results come back in any order, each to its own promise. */
export class CsvWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<Worker, Job>();
  /** Column buffers copied out of earlier results, going back with the next task to be reused. */
  private spare: ArrayBuffer[] = [];
  /** Blocks' byte buffers the workers are done with. */
  private readonly inputs: ArrayBuffer[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(join(__dirname, 'csv-block-worker.js'));
      worker.on('message', ({ result, input }: CsvBlockReply) => {
        this.inputs.push(input);
        this.settle(worker, (job) => job.resolve(result));
      });
      worker.on('error', (err) => this.settle(worker, (job) => job.reject(err)));
      this.idle.push(worker);
    }
  }

  /** Parses bytes[start, end) in a worker; the block's buffer moves to the worker and is unusable here afterwards. */
  parse(bytes: Buffer, options: CsvBlockOptions, start: number): Promise<CsvBlockResult> {
    const task: CsvBlockTask = { buffer: bytes.buffer as ArrayBuffer, start, length: bytes.length, options, spare: [] };
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
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
    await Promise.all([...this.idle, ...this.running.keys()].map((w) => w.terminate()));
  }

  private settle(worker: Worker, complete: (job: Job) => void): void {
    const job = this.running.get(worker);
    this.running.delete(worker);
    this.idle.push(worker);
    if (job) complete(job);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      const spare = this.spare;
      this.spare = [];
      worker.postMessage({ ...job.task, spare }, [job.task.buffer, ...spare]);
    }
  }
}
