import type { JobErrorCode } from '@trainyard/contracts';
import type { Matrix } from '../../matrix';
import { callXGBoost, callXGBoostOffThread } from './xgboost-library';
import type { NativeHandle } from './xgboost-library';

/** Copies a matrix (and optionally its labels) into a native DMatrix; NaN stays missing. */
export async function createDMatrix(m: Matrix, withLabels: boolean, code: JobErrorCode): Promise<NativeHandle> {
  const out: (NativeHandle | null)[] = [null];
  await callXGBoostOffThread(code, 'XGDMatrixCreateFromMat', m.data, m.rows, m.cols, Number.NaN, out);
  const handle = out[0] as NativeHandle;
  if (!withLabels) return handle;
  try {
    await callXGBoostOffThread(code, 'XGDMatrixSetFloatInfo', handle, 'label', m.labels, m.rows);
    return handle;
  } catch (err) {
    freeDMatrix(handle);
    throw err;
  }
}

export function freeDMatrix(handle: NativeHandle | null): void {
  if (handle !== null) callXGBoost('INTERNAL', 'XGDMatrixFree', handle);
}
