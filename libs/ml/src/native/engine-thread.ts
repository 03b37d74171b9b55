import { AsyncLocalStorage } from 'node:async_hooks';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MlError } from '../errors';
import { koffi } from './koffi';
import { boundOpenMpSpinning } from './openmp';

/** What the engine thread needs to bind a library: its path, C signatures, and the function that reads its last error. */
export interface EngineLibrary {
  path: string;
  signatures: Readonly<Record<string, string>>;
  lastErrorFunction: string;
  /**
   * Calls made of several library calls that must run on the engine thread in one go, such as one that hands the
   * library callbacks: the module (a path the engine thread can require) exports `procedures` (see
   * EngineProcedures), and `signatures` declares each as if it were a C function, which says what it writes to.
   */
  procedures?: { module: string; signatures: Readonly<Record<string, string>> };
}

/**
 * What a procedures module exports: given the library's bound functions, procedures that return a C-style code
 * (non-zero after the library's last error was set, which the engine thread then reads).
 */
export type EngineProcedures = (bound: ReadonlyMap<string, (...args: unknown[]) => unknown>) => Record<string, (...args: unknown[]) => number>;

/** A finished call: the C return code, and the library's error text when it was non-zero. */
export interface EngineCallResult {
  rc: number;
  error: string | null;
}

/** One call for the engine thread; `returned` lists the argument positions it sends back afterwards. */
export interface EngineCall {
  name: string;
  args: unknown[];
  returned: number[];
}

/** Calls run back to back on the engine thread, stopping after the first that fails. */
export interface EngineCallRequest {
  id: number;
  calls: EngineCall[];
}

export interface EngineCallOutcome {
  rc: number;
  error: string | null;
  /** The values of the call's `returned` arguments after it ran, in the same order. */
  returned: unknown[];
}

export interface EngineCallReply {
  id: number;
  /** One per call that ran. */
  outcomes: EngineCallOutcome[];
  /** Set when a call threw in JavaScript (bad arguments to koffi), not in the library. */
  thrown?: string;
}

/** Engine rounds recurse deeply (tree building); the worker's default 4 MiB stack is too tight. */
const STACK_MB = 16;
/** Input buffers at least this large go to the engine thread as their address, not as a copy. */
const BY_ADDRESS_BYTES = 1 << 20;

/** Which engine lane the calls of the current training (or prediction) go to; see withEngineLane. */
const currentLane = new AsyncLocalStorage<number>();
/** Work running in each lane now, across libraries. */
const laneLoad: number[] = [];

/**
 * Runs `work` with its engine calls on a lane of its own: the lane with the least work in it (the lowest such,
 * so a lone training keeps the warm thread). Concurrent trainings each get their own engine thread, up to one
 * per core; past that they share. A training's calls all go to one thread, so its OpenMP team stays warm and
 * its handles are never used from two threads at once. Nested calls stay in the lane they are in.
 */
export async function withEngineLane<T>(work: () => Promise<T>): Promise<T> {
  if (currentLane.getStore() !== undefined) return work();
  const lanes = Math.max(1, availableParallelism());
  let lane = 0;
  for (let i = 1; i < lanes; i++) if ((laneLoad[i] ?? 0) < (laneLoad[lane] ?? 0)) lane = i;
  laneLoad[lane] = (laneLoad[lane] ?? 0) + 1;
  try {
    return await currentLane.run(lane, work);
  } finally {
    laneLoad[lane]! -= 1;
  }
}

/**
 * A dedicated OS thread of a native engine library, making its calls synchronously and in order: one per lane
 * (withEngineLane), started when a lane first calls the library.
 *
 * OpenMP keeps a thread team per calling thread. Spreading rounds over libuv's pool (koffi's async calls)
 * wakes a different, cold team on each call while the previous one still spins, which made XGBoost
 * training about 1.7× slower than the same calls from one thread. With one thread per library, two
 * single-threaded trainings (two CPU slots on two cores) took turns on one core.
 */
export class EngineThread {
  private static readonly threads = new Map<string, EngineThread[]>();

  static for(library: EngineLibrary): EngineThread {
    const lane = currentLane.getStore() ?? 0;
    let lanes = EngineThread.threads.get(library.path);
    if (!lanes) EngineThread.threads.set(library.path, (lanes = []));
    return (lanes[lane] ??= new EngineThread(library));
  }

  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: EngineCallReply) => void; reject: (e: Error) => void }>();
  /** Per function: the argument positions the C side writes to (out-params and non-const buffers). */
  private readonly writtenArgs = new Map<string, number[]>();

  private constructor(private readonly library: EngineLibrary) {
    for (const [name, signature] of Object.entries({ ...library.signatures, ...library.procedures?.signatures })) this.writtenArgs.set(name, writtenParameters(signature));
  }

  /** Calls `name` on the engine thread; out-params and writable buffers among `args` are filled in on return. */
  async call(name: string, args: unknown[]): Promise<EngineCallResult> {
    const [result] = await this.callInOrder([{ name, args }]);
    return result;
  }

  /**
   * Runs several calls back to back in one trip to the engine thread (a boosting round and its evaluation, say),
   * stopping after the first non-zero return. Returns one result per call that ran.
   */
  async callInOrder(calls: { name: string; args: unknown[] }[]): Promise<EngineCallResult[]> {
    const prepared = calls.map(({ name, args }): EngineCall => {
      const written = this.writtenArgs.get(name);
      if (!written) throw new MlError('INTERNAL', `${name} is not bound for ${this.library.path}`);
      return { name, args, returned: written.filter((i) => i < args.length && args[i] !== null && typeof args[i] === 'object') };
    });
    const sent = prepared.map((call) => ({ ...call, args: call.args.map((arg, i) => (call.returned.includes(i) ? arg : byAddress(arg))) }));
    const id = this.nextId++;
    const reply = await new Promise<EngineCallReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const worker = this.started();
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, calls: sent } satisfies EngineCallRequest);
    });
    // `prepared` holds the buffers sent by address until here, so none was collected while the engine read it.
    if (reply.thrown !== undefined) throw new MlError('INTERNAL', reply.thrown);
    return reply.outcomes.map((outcome, i) => {
      const { args, returned } = prepared[i];
      returned.forEach((position, k) => copyInto(args[position], outcome.returned[k]));
      return { rc: outcome.rc, error: outcome.error };
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    boundOpenMpSpinning();
    const worker = new Worker(join(__dirname, 'engine-thread-worker.js'), {
      workerData: this.library,
      resourceLimits: { stackSizeMb: STACK_MB },
    });
    worker.on('message', (reply: EngineCallReply) => this.settle(reply));
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', (code) => this.failAll(new Error(`engine thread exited with code ${code}`)));
    // After the listeners: adding one refs the thread again.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(reply: EngineCallReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    waiter.resolve(reply);
  }

  /** A dead thread fails its callers; the next call starts a fresh one. */
  private failAll(err: Error): void {
    this.worker = null;
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiters) w.reject(new MlError('INTERNAL', `native engine thread failed: ${err.message}`));
  }
}

/**
 * A large input buffer (a training matrix, say) as the address of its bytes, which koffi passes on as the pointer:
 * posting it would copy it into the engine thread first, a tenth of a second and its size in memory for a million
 * rows. Safe because the bytes stay where they are: V8 never moves an ArrayBuffer's backing store, the caller's
 * array is held until the reply, and nothing here detaches a matrix's buffer meanwhile.
 */
function byAddress(arg: unknown): unknown {
  return ArrayBuffer.isView(arg) && arg.byteLength >= BY_ADDRESS_BYTES ? koffi.address(arg) : arg;
}

/**
 * Positions of parameters the C function writes to: koffi `_Out_` params, and pointers to non-const data
 * (caller-allocated result buffers such as `double *out_result`). Const pointers are inputs only and are not
 * copied back, which keeps large matrices to a single copy.
 */
export function writtenParameters(signature: string): number[] {
  const list = signature.slice(signature.indexOf('(') + 1, signature.lastIndexOf(')')).trim();
  if (list === '' || list === 'void') return [];
  return list
    .split(',')
    .map((p) => p.trim())
    .flatMap((param, i) => {
      const out = param.startsWith('_Out_') || param.startsWith('_Inout_');
      const writable = param.includes('*') && !param.startsWith('const') && !/^void\s*\*\s*\w+$/.test(param);
      return out || writable ? [i] : [];
    });
}

/** Writes the engine thread's copy of an argument back into the caller's array or buffer. */
function copyInto(target: unknown, source: unknown): void {
  if (ArrayBuffer.isView(target) && ArrayBuffer.isView(source)) {
    new Uint8Array(target.buffer, target.byteOffset, target.byteLength).set(new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  } else if (Array.isArray(target) && Array.isArray(source)) {
    source.forEach((v, i) => (target[i] = v));
  }
}
