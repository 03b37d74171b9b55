import * as ort from 'onnxruntime-node';
import { MlError } from '../errors';
import type { Matrix } from '../matrix';

export interface OnnxScores {
  /** rows*classes, row-major. */
  probabilities?: Float32Array;
  /** Predicted class index per row. */
  labels?: Int32Array;
  /** One value per row (regression). */
  values?: Float32Array;
}

export interface ScoreOnnxOptions {
  executionProviders?: string[];
}

/** Runs an exported model (input `features`) with onnxruntime and returns whichever known outputs it has. */
export async function scoreOnnx(bytes: Uint8Array, m: Matrix, opts: ScoreOnnxOptions = {}): Promise<OnnxScores> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: opts.executionProviders ?? ['cpu'] });
  } catch (err) {
    throw new MlError('INTERNAL', `onnxruntime could not load the model: ${(err as Error).message}`);
  }
  try {
    const features = new ort.Tensor('float32', m.data, [m.rows, m.cols]);
    const out = await session.run({ features });
    const scores: OnnxScores = {};
    if (out.probabilities) scores.probabilities = out.probabilities.data as Float32Array;
    if (out.variable) scores.values = out.variable.data as Float32Array;
    if (out.label) scores.labels = Int32Array.from(out.label.data as BigInt64Array, (v) => Number(v));
    return scores;
  } finally {
    await session.release();
  }
}

/** Largest |a[i] - b[i]|; Infinity when lengths differ or only one side is NaN. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Number.POSITIVE_INFINITY;
      continue;
    }
    max = Math.max(max, Math.abs(x - y));
  }
  return max;
}
