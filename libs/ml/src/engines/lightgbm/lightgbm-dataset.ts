import type { JobErrorCode } from '@trainyard/contracts';
import type { Matrix } from '../../matrix';
import { DTYPE_FLOAT32, DTYPE_FLOAT64, callLightGBM, callLightGBMOffThread } from './lightgbm-library';
import type { NativeHandle } from './lightgbm-library';

export interface DatasetOptions {
  /** LightGBM's "key=value ..." parameter string; binning parameters must match the booster's. */
  params: string;
  /** The training dataset, so validation rows share its bins. */
  reference?: NativeHandle | null;
  /** Raw scores to start from, class-major (all rows of class 0, then class 1, ...). */
  initScore?: Float64Array | null;
}

/** Copies a matrix, its labels and any sample weights into a native Dataset; NaN stays missing. */
export async function createDataset(m: Matrix, opts: DatasetOptions, code: JobErrorCode): Promise<NativeHandle> {
  const out: (NativeHandle | null)[] = [null];
  await callLightGBMOffThread(code, 'LGBM_DatasetCreateFromMat', m.data, DTYPE_FLOAT32, m.rows, m.cols, 1, opts.params, opts.reference ?? null, out);
  const handle = out[0] as NativeHandle;
  try {
    // On the engine thread: setting a field runs OpenMP loops, and an OpenMP team on the main thread as well makes
    // libgomp throttle the engine thread's spin-waits (see EngineThread).
    await callLightGBMOffThread(code, 'LGBM_DatasetSetField', handle, 'label', m.labels, m.rows, DTYPE_FLOAT32);
    if (m.weights) await callLightGBMOffThread(code, 'LGBM_DatasetSetField', handle, 'weight', m.weights, m.rows, DTYPE_FLOAT32);
    if (opts.initScore) await callLightGBMOffThread(code, 'LGBM_DatasetSetField', handle, 'init_score', opts.initScore, opts.initScore.length, DTYPE_FLOAT64);
    return handle;
  } catch (err) {
    freeDataset(handle);
    throw err;
  }
}

export function freeDataset(handle: NativeHandle | null): void {
  if (handle !== null) callLightGBM('INTERNAL', 'LGBM_DatasetFree', handle);
}
