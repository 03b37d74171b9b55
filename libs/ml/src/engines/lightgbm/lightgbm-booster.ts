import type { JobErrorCode } from '@trainyard/contracts';
import { koffi } from '../../native';
import {
  DTYPE_FLOAT32,
  IMPORTANCE_GAIN,
  callLightGBM,
  callLightGBMInOrder,
  callLightGBMOffThread,
} from './lightgbm-library';
import type { NativeHandle } from './lightgbm-library';

/** LightGBM writes text into caller buffers; this is the first guess, grown to the size it reports. */
const INITIAL_TEXT_BYTES = 1 << 16;
/** Room for a tree of a few dozen leaves in LightGBM's text format. */
const TEXT_BYTES_PER_TREE = 8 << 10;
const EVAL_NAME_BYTES = 128;

/** A native booster; every method maps to one C API call. Call free() in a finally block. */
export class LightGBMBooster {
  private constructor(readonly handle: NativeHandle) {}

  static async create(train: NativeHandle, params: string, code: JobErrorCode): Promise<LightGBMBooster> {
    const out: (NativeHandle | null)[] = [null];
    await callLightGBMOffThread(code, 'LGBM_BoosterCreate', train, params, out);
    return new LightGBMBooster(out[0] as NativeHandle);
  }

  /** Loads a model saved by saveModel; returns the booster and the iterations it holds. */
  static async load(model: Uint8Array, code: JobErrorCode): Promise<LightGBMBooster> {
    const out: (NativeHandle | null)[] = [null];
    await callLightGBMOffThread(code, 'LGBM_BoosterLoadModelFromString', nulTerminated(model), [0], out);
    return new LightGBMBooster(out[0] as NativeHandle);
  }

  /** Synchronous load for callers that cannot await (the ONNX export). */
  static loadSync(model: Uint8Array, code: JobErrorCode): LightGBMBooster {
    const out: (NativeHandle | null)[] = [null];
    callLightGBM(code, 'LGBM_BoosterLoadModelFromString', nulTerminated(model), [0], out);
    return new LightGBMBooster(out[0] as NativeHandle);
  }

  /** On the engine thread: scoring the new set runs OpenMP loops, which belong on the thread that trains. */
  async addValidData(dataset: NativeHandle): Promise<void> {
    await callLightGBMOffThread('TRAINING_FAILED', 'LGBM_BoosterAddValidData', this.handle, dataset);
  }

  /** Puts `other`'s trees in front of this booster's, as LightGBM's wrappers do to continue training. */
  mergeFrom(other: LightGBMBooster): void {
    callLightGBM('TRAINING_FAILED', 'LGBM_BoosterMerge', this.handle, other.handle);
  }

  /**
   * Runs one boosting iteration and reads the metrics of the given eval data sets (0 is the training data, 1.. the
   * validation sets in the order added), in a single trip to the engine thread. `finished` is true when LightGBM
   * found no further split (that iteration is discarded).
   */
  async boostOneRound(evalSets: number[], metricCount: number): Promise<{ finished: boolean; metrics: number[][] }> {
    return (await this.boostRounds(1, evalSets, metricCount))[0]!;
  }

  /**
   * Like boostOneRound for `count` iterations in one trip. Once one finishes, the ones after it find no split
   * either and add nothing; callers stop at the first finished one.
   */
  async boostRounds(count: number, evalSets: number[], metricCount: number): Promise<{ finished: boolean; metrics: number[][] }[]> {
    const rounds = Array.from({ length: count }, () => ({ finished: [0], outs: evalSets.map(() => new Float64Array(metricCount)) }));
    await callLightGBMInOrder(
      'TRAINING_FAILED',
      rounds.flatMap(({ finished, outs }) => [
        { name: 'LGBM_BoosterUpdateOneIter' as const, args: [this.handle, finished] },
        ...evalSets.map((set, i) => ({ name: 'LGBM_BoosterGetEval' as const, args: [this.handle, set, [0], outs[i]] })),
      ]),
    );
    return rounds.map(({ finished, outs }) => ({ finished: finished[0] === 1, metrics: outs.map((o) => Array.from(o)) }));
  }

  currentIteration(): number {
    const out = [0];
    callLightGBM('TRAINING_FAILED', 'LGBM_BoosterGetCurrentIteration', this.handle, out);
    return out[0]!;
  }

  treesPerIteration(): number {
    const out = [0];
    callLightGBM('INTERNAL', 'LGBM_BoosterNumModelPerIteration', this.handle, out);
    return out[0]!;
  }

  featureCount(): number {
    const out = [0];
    callLightGBM('INTERNAL', 'LGBM_BoosterGetNumFeature', this.handle, out);
    return out[0]!;
  }

  evalNames(): string[] {
    const count = [0];
    callLightGBM('TRAINING_FAILED', 'LGBM_BoosterGetEvalCounts', this.handle, count);
    const buffers = Array.from({ length: count[0]! }, () => koffi.alloc('char', EVAL_NAME_BYTES));
    try {
      callLightGBM('TRAINING_FAILED', 'LGBM_BoosterGetEvalNames', this.handle, count[0], [0], EVAL_NAME_BYTES, [0], buffers);
      return buffers.map((b) => koffi.decode(b, 'char', -1) as string);
    } finally {
      for (const b of buffers) koffi.free(b);
    }
  }

  /** The model in LightGBM's text format; `iterations` <= 0 keeps them all. */
  async saveModel(iterations = -1): Promise<Uint8Array> {
    return this.readText('LGBM_BoosterSaveModelToString', iterations);
  }

  /** LightGBM's JSON dump of the trees, read synchronously for the ONNX export. */
  dumpModelSync(): string {
    const text = readTextSync((size, buffer, outLen) =>
      callLightGBM('INTERNAL', 'LGBM_BoosterDumpModel', this.handle, 0, -1, IMPORTANCE_GAIN, size, outLen, buffer),
    );
    return Buffer.from(text).toString('utf8');
  }

  /** Scores row-major float32 rows into doubles; `predictType` is one of the PREDICT_* constants. */
  async predict(data: Float32Array, rows: number, cols: number, predictType: number, code: JobErrorCode): Promise<Float64Array> {
    const needed: (bigint | number)[] = [0];
    callLightGBM(code, 'LGBM_BoosterCalcNumPredict', this.handle, rows, predictType, 0, -1, needed);
    const out = new Float64Array(Number(needed[0]));
    const outLen: (bigint | number)[] = [0];
    // As for XGBoost: a small matrix scores faster on one thread than fanned out to every core.
    const threads = rows < 20_000 ? 'num_threads=1 ' : '';
    await callLightGBMOffThread(code, 'LGBM_BoosterPredictForMat', this.handle, data, DTYPE_FLOAT32, rows, cols, 1, predictType, 0, -1, `${threads}verbosity=-1`, outLen, out);
    return out;
  }

  /** Total split gain per feature over the first `iterations` iterations (all when <= 0). */
  gainImportance(iterations: number): number[] {
    const out = new Float64Array(this.featureCount());
    callLightGBM('TRAINING_FAILED', 'LGBM_BoosterFeatureImportance', this.handle, iterations, IMPORTANCE_GAIN, out);
    return Array.from(out);
  }

  free(): void {
    callLightGBM('INTERNAL', 'LGBM_BoosterFree', this.handle);
  }

  private async readText(call: 'LGBM_BoosterSaveModelToString', iterations: number): Promise<Uint8Array> {
    // LightGBM writes the whole text again when the buffer is short, so start from a generous guess per tree.
    const trees = (iterations > 0 ? iterations : this.currentIteration()) * this.treesPerIteration();
    let size = Math.max(INITIAL_TEXT_BYTES, trees * TEXT_BYTES_PER_TREE);
    for (;;) {
      const buffer = Buffer.allocUnsafe(size);
      const outLen: (bigint | number)[] = [0];
      await callLightGBMOffThread('TRAINING_FAILED', call, this.handle, 0, iterations, IMPORTANCE_GAIN, size, outLen, buffer);
      const needed = Number(outLen[0]);
      // out_len counts the trailing NUL, which the stored model leaves off.
      if (needed <= size) return new Uint8Array(buffer.subarray(0, needed - 1));
      size = needed;
    }
  }
}

function readTextSync(call: (size: number, buffer: Buffer, outLen: (bigint | number)[]) => void): Uint8Array {
  let size = INITIAL_TEXT_BYTES;
  for (;;) {
    const buffer = Buffer.allocUnsafe(size);
    const outLen: (bigint | number)[] = [0];
    call(size, buffer, outLen);
    const needed = Number(outLen[0]);
    if (needed <= size) return new Uint8Array(buffer.subarray(0, needed - 1));
    size = needed;
  }
}

/** LightGBM reads the model as a C string. */
function nulTerminated(model: Uint8Array): Buffer {
  const buffer = Buffer.alloc(model.byteLength + 1);
  buffer.set(model);
  return buffer;
}
