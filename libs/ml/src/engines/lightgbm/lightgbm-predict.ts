import { withEngineLane } from '../../native';
import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { LightGBMBooster } from './lightgbm-booster';
import { PREDICT_NORMAL, PREDICT_RAW_SCORE } from './lightgbm-library';
import { quietWorkerThreads } from './quiet-worker-threads';

export interface LightGBMPredictOptions {
  /** Raw scores (before sigmoid / softmax) instead of probabilities. */
  rawScore?: boolean;
}

/**
 * Scores a matrix with a saved model string: binary gives P(class 1) per row,
 * multiclass rows*numClasses probabilities (row-major), regression one value per row.
 */
export function predictLightGBM(model: Uint8Array, m: Matrix, opts: LightGBMPredictOptions = {}): Promise<Float64Array> {
  return withEngineLane(() => predictInLane(model, m, opts));
}

async function predictInLane(model: Uint8Array, m: Matrix, opts: LightGBMPredictOptions = {}): Promise<Float64Array> {
  if (m.data.length !== m.rows * m.cols) {
    throw new MlError('DATASET_INVALID', `matrix has ${m.data.length} values, expected ${m.rows}x${m.cols}`);
  }
  if (m.rows === 0) return new Float64Array(0);
  await quietWorkerThreads();
  const booster = await LightGBMBooster.load(model, 'INTERNAL');
  try {
    return await booster.predict(m.data, m.rows, m.cols, opts.rawScore ? PREDICT_RAW_SCORE : PREDICT_NORMAL, 'INTERNAL');
  } finally {
    booster.free();
  }
}

/** Every family reports classification as [N, K]; LightGBM's binary output is P(class 1) alone. */
export function toProbabilityRows(predicted: Float64Array, numClasses: number, rows: number): Float32Array {
  if (numClasses !== 2 || predicted.length !== rows) return Float32Array.from(predicted);
  const out = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    out[2 * i] = 1 - predicted[i]!;
    out[2 * i + 1] = predicted[i]!;
  }
  return out;
}
