import { withEngineLane } from '../../native';
import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { Booster } from './xgboost-booster';
import { createDMatrix, freeDMatrix } from './xgboost-dmatrix';
import type { NativeHandle } from './xgboost-library';

export interface XGBoostPredictOptions {
  /** Raw margins instead of probabilities. */
  outputMargin?: boolean;
}

/**
 * Below this many rows a prediction runs on one thread: fanning a few thousand rows out to OpenMP costs more than
 * it saves, and on a busy machine one descheduled thread holds the whole parallel region (50-100 ms measured for
 * 114 rows, against 0.3 ms on one thread).
 */
const PARALLEL_PREDICT_ROWS = 20_000;

/**
 * Scores a matrix with a saved model: binary classification gives P(class 1) per row,
 * multiclass rows*numClasses probabilities, regression one value per row.
 */
export function predictXGBoost(model: Uint8Array, m: Matrix, opts: XGBoostPredictOptions = {}): Promise<Float32Array> {
  return withEngineLane(() => predictInLane(model, m, opts));
}

async function predictInLane(model: Uint8Array, m: Matrix, opts: XGBoostPredictOptions = {}): Promise<Float32Array> {
  if (m.data.length !== m.rows * m.cols) {
    throw new MlError('DATASET_INVALID', `matrix has ${m.data.length} values, expected ${m.rows}x${m.cols}`);
  }
  if (m.rows === 0) return new Float32Array(0);
  let booster: Booster | null = null;
  let dmat: NativeHandle | null = null;
  try {
    const threads = m.rows < PARALLEL_PREDICT_ROWS ? 1 : 0;
    booster = await Booster.load(model, 'INTERNAL');
    if (threads) booster.setParam('nthread', String(threads), 'INTERNAL');
    dmat = await createDMatrix(m, false, 'INTERNAL', threads);
    const { values } = await booster.predict(dmat, opts.outputMargin === true, 'INTERNAL');
    return values;
  } finally {
    freeDMatrix(dmat);
    booster?.free();
  }
}
