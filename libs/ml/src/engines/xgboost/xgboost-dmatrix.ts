import type { JobErrorCode } from '@trainyard/contracts';
import type { Matrix } from '../../matrix';
import { callXGBoost, callXGBoostOffThread } from './xgboost-library';
import type { NativeHandle } from './xgboost-library';

/**
 * Copies a matrix (and optionally its labels and sample weights) into a native DMatrix on `threads` threads (0: XGBoost's default, every
 * core), as the Python package does; the plain XGDMatrixCreateFromMat copies on one. NaN stays missing.
 */
export async function createDMatrix(m: Matrix, withLabels: boolean, code: JobErrorCode, threads = 0): Promise<NativeHandle> {
  const out: (NativeHandle | null)[] = [null];
  await callXGBoostOffThread(code, 'XGDMatrixCreateFromMat_omp', m.data, m.rows, m.cols, Number.NaN, out, threads);
  const handle = out[0] as NativeHandle;
  if (!withLabels) return handle;
  try {
    await callXGBoostOffThread(code, 'XGDMatrixSetFloatInfo', handle, 'label', m.labels, m.rows);
    if (m.weights) await callXGBoostOffThread(code, 'XGDMatrixSetFloatInfo', handle, 'weight', m.weights, m.rows);
    return handle;
  } catch (err) {
    freeDMatrix(handle);
    throw err;
  }
}

/**
 * A QuantileDMatrix: the matrix kept as its histogram bins only, about a byte a cell, where a DMatrix keeps 8 a cell
 * (a sparse copy) and builds the same bins beside it. It trains the `hist` method only, with the same `maxBin`; a
 * validation set shares the training set's bins through `ref`. NaN stays missing.
 */
export async function createQuantileDMatrix(
  m: Matrix,
  code: JobErrorCode,
  { threads = 0, maxBin, ref = null }: { threads?: number; maxBin: number; ref?: NativeHandle | null },
): Promise<NativeHandle> {
  const out: (NativeHandle | null)[] = [null];
  // JSON has no NaN; XGBoost's reader takes the literal, and requires `missing`.
  const config = `{"missing": NaN, "nthread": ${threads}, "max_bin": ${maxBin}}`;
  await callXGBoostOffThread(code, 'TrainyardQuantileDMatrixFromDense', m.data, m.rows, m.cols, ref, config, out);
  const handle = out[0] as NativeHandle;
  try {
    await callXGBoostOffThread(code, 'XGDMatrixSetFloatInfo', handle, 'label', m.labels, m.rows);
    if (m.weights) await callXGBoostOffThread(code, 'XGDMatrixSetFloatInfo', handle, 'weight', m.weights, m.rows);
    return handle;
  } catch (err) {
    freeDMatrix(handle);
    throw err;
  }
}

export function freeDMatrix(handle: NativeHandle | null): void {
  if (handle !== null) callXGBoost('INTERNAL', 'XGDMatrixFree', handle);
}
