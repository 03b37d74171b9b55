import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CsvBlockTask } from './csv-block-worker';
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

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(join(__dirname, 'csv-block-worker.js'));
      worker.on('message', (result: CsvBlockResult) => this.settle(worker, (job) => job.resolve(result)));
      worker.on('error', (err) => this.settle(worker, (job) => job.reject(err)));
      this.idle.push(worker);
    }
  }

  /** Parses bytes[start, end) in a worker; the block's buffer moves to the worker and is unusable here afterwards. */
  parse(bytes: Buffer, options: CsvBlockOptions, start: number): Promise<CsvBlockResult> {
    const task: CsvBlockTask = { buffer: bytes.buffer as ArrayBuffer, start, length: bytes.length, options };
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
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
      worker.postMessage(job.task, [job.task.buffer]);
    }
  }
}
