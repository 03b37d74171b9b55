import { koffi } from '../../native';
import type { JobErrorCode } from '@trainyard/contracts';
import { callXGBoost, callXGBoostInOrder, callXGBoostOffThread } from './xgboost-library';
import type { NativeHandle } from './xgboost-library';

export type EvalResult = Record<string, Record<string, number>>;

/** A native booster; every method maps to one C API call. Call free() in a finally block. */
export class Booster {
  private constructor(readonly handle: NativeHandle) {}

  static create(cache: NativeHandle[], code: JobErrorCode): Booster {
    const out: (NativeHandle | null)[] = [null];
    callXGBoost(code, 'XGBoosterCreate', cache.length ? cache : null, cache.length, out);
    return new Booster(out[0] as NativeHandle);
  }

  static async load(model: Uint8Array, code: JobErrorCode): Promise<Booster> {
    const booster = Booster.create([], code);
    try {
      await booster.loadModel(model, code);
      return booster;
    } catch (err) {
      booster.free();
      throw err;
    }
  }

  async loadModel(model: Uint8Array, code: JobErrorCode): Promise<void> {
    await callXGBoostOffThread(code, 'XGBoosterLoadModelFromBuffer', this.handle, model, model.byteLength);
  }

  setParam(name: string, value: string, code: JobErrorCode): void {
    callXGBoost(code, 'XGBoosterSetParam', this.handle, name, value);
  }

  /** Forces XGBoost to apply its parameters now, so bad ones fail here with a readable message. */
  configure(code: JobErrorCode): void {
    callXGBoost(code, 'XGBoosterSaveJsonConfig', this.handle, [0], [null]);
  }

  boostedRounds(): number {
    const out = [0];
    callXGBoost('TRAINING_FAILED', 'XGBoosterBoostedRounds', this.handle, out);
    return out[0] as number;
  }

  getAttr(key: string): string | null {
    const out: (string | null)[] = [null];
    const success = [0];
    callXGBoost('TRAINING_FAILED', 'XGBoosterGetAttr', this.handle, key, out, success);
    return success[0] ? out[0] : null;
  }

  setAttr(key: string, value: string): void {
    callXGBoost('TRAINING_FAILED', 'XGBoosterSetAttr', this.handle, key, value);
  }

  /** XGBoost deletes an attribute set to NULL. */
  deleteAttr(key: string): void {
    callXGBoost('TRAINING_FAILED', 'XGBoosterSetAttr', this.handle, key, null);
  }

  /**
   * Boosts one round on `dtrain`, then evaluates every set, in a single trip to the engine thread: per-round
   * overhead is what separates a service from a tight Python loop on small data.
   */
  async boostOneRound(iteration: number, dtrain: NativeHandle, sets: { name: string; handle: NativeHandle }[]): Promise<EvalResult> {
    return (await this.boostRounds(iteration, 1, dtrain, sets))[0]!;
  }

  /** Like boostOneRound for `count` rounds from `iteration`, all in one trip; one evaluation per round. */
  async boostRounds(iteration: number, count: number, dtrain: NativeHandle, sets: { name: string; handle: NativeHandle }[]): Promise<EvalResult[]> {
    const handles = sets.map((s) => s.handle);
    const names = sets.map((s) => s.name);
    const outs = Array.from({ length: count }, (): (string | null)[] => [null]);
    await callXGBoostInOrder(
      'TRAINING_FAILED',
      outs.flatMap((out, k) => [
        { name: 'XGBoosterUpdateOneIter' as const, args: [this.handle, iteration + k, dtrain] },
        { name: 'XGBoosterEvalOneIter' as const, args: [this.handle, iteration + k, handles, names, sets.length, out] },
      ]),
    );
    return outs.map((out) => parseEvalLine(out[0] ?? '', names));
  }

  /** Predicts into a fresh Float32Array; the native buffer belongs to the booster and is copied out. */
  async predict(dmat: NativeHandle, outputMargin: boolean, code: JobErrorCode): Promise<{ values: Float32Array; shape: number[] }> {
    const config = JSON.stringify({ type: outputMargin ? 1 : 0, training: false, iteration_begin: 0, iteration_end: 0, strict_shape: false });
    const shapeOut: (bigint | null)[] = [null];
    const dimOut = [0];
    const resultOut: (bigint | null)[] = [null];
    await callXGBoostOffThread(code, 'XGBoosterPredictFromDMatrix', this.handle, dmat, config, shapeOut, dimOut, resultOut);
    const dim = Number(dimOut[0]);
    const shape = Array.from(koffi.decode(shapeOut[0], 'uint64_t', dim) as ArrayLike<bigint | number>, Number);
    const count = shape.reduce((a, b) => a * b, 1);
    const values = count === 0 ? new Float32Array(0) : new Float32Array(koffi.view(resultOut[0], count * 4).slice(0));
    return { values, shape };
  }

  /**
   * Saves the model as JSON bytes, copied out of the booster's own buffer. Serialising runs OpenMP loops, so it
   * runs on the engine thread: a second OpenMP team on the main thread makes libgomp throttle its spin-waits
   * for every team (more threads than cores), which slowed each later boosting round several-fold on small data.
   */
  async saveJson(): Promise<Uint8Array> {
    const len = [0];
    const out: (bigint | null)[] = [null];
    await callXGBoostOffThread('TRAINING_FAILED', 'XGBoosterSaveModelToBuffer', this.handle, '{"format":"json"}', len, out);
    return new Uint8Array(koffi.view(out[0], Number(len[0])).slice(0));
  }

  /** A new booster holding rounds [begin, end). */
  slice(begin: number, end: number): Booster {
    const out: (NativeHandle | null)[] = [null];
    callXGBoost('TRAINING_FAILED', 'XGBoosterSlice', this.handle, begin, end, 1, out);
    return new Booster(out[0] as NativeHandle);
  }

  free(): void {
    callXGBoost('INTERNAL', 'XGBoosterFree', this.handle);
  }
}

/** Parses "[3]\ttrain-logloss:0.12\tvalidation-logloss:0.2" into { train: { logloss: 0.12 }, ... }. */
export function parseEvalLine(line: string, names: string[]): EvalResult {
  const result: EvalResult = {};
  for (const name of names) result[name] = {};
  for (const part of line.split('\t').slice(1)) {
    const name = names.find((n) => part.startsWith(`${n}-`));
    const colon = part.lastIndexOf(':');
    if (!name || colon < 0) continue;
    result[name]![part.slice(name.length + 1, colon)] = Number(part.slice(colon + 1));
  }
  return result;
}
