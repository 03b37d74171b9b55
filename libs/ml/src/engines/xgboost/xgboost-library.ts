import { join } from 'node:path';
import { EngineThread, locateNativeLibrary, openNativeLibrary } from '../../native';
import type { NativeFunction } from '../../native';
import type { JobErrorCode } from '@trainyard/contracts';
import { XGBoostCallError } from './xgboost-errors';

/** Handles are opaque pointers, which koffi 3 hands back as bigints. */
export type NativeHandle = bigint;

const SIGNATURES = {
  XGBoostVersion: 'void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)',
  XGBGetLastError: 'const char *XGBGetLastError()',
  XGBuildInfo: 'int XGBuildInfo(_Out_ const char **out)',
  XGDMatrixCreateFromMat_omp:
    'int XGDMatrixCreateFromMat_omp(const float *data, uint64_t nrow, uint64_t ncol, float missing, _Out_ void **out, int nthread)',
  XGDMatrixSetFloatInfo: 'int XGDMatrixSetFloatInfo(void *handle, const char *field, const float *array, uint64_t len)',
  XGProxyDMatrixCreate: 'int XGProxyDMatrixCreate(_Out_ void **out)',
  XGProxyDMatrixSetDataDense: 'int XGProxyDMatrixSetDataDense(void *handle, const char *data)',
  XGQuantileDMatrixCreateFromCallback:
    'int XGQuantileDMatrixCreateFromCallback(void *iter, void *proxy, void *ref, void *reset, void *next, const char *config, _Out_ void **out)',
  XGDMatrixFree: 'int XGDMatrixFree(void *handle)',
  XGBoosterCreate: 'int XGBoosterCreate(void **dmats, uint64_t len, _Out_ void **out)',
  XGBoosterFree: 'int XGBoosterFree(void *handle)',
  XGBoosterSetParam: 'int XGBoosterSetParam(void *handle, const char *name, const char *value)',
  XGBoosterSaveJsonConfig: 'int XGBoosterSaveJsonConfig(void *handle, _Out_ uint64_t *len, _Out_ const char **out)',
  XGBoosterUpdateOneIter: 'int XGBoosterUpdateOneIter(void *handle, int iter, void *dtrain)',
  XGBoosterEvalOneIter:
    'int XGBoosterEvalOneIter(void *handle, int iter, void **dmats, const char **names, uint64_t len, _Out_ const char **out)',
  XGBoosterPredictFromDMatrix:
    'int XGBoosterPredictFromDMatrix(void *handle, void *dmat, const char *config, _Out_ void **shape, _Out_ uint64_t *dim, _Out_ void **result)',
  XGBoosterSaveModelToBuffer:
    'int XGBoosterSaveModelToBuffer(void *handle, const char *config, _Out_ uint64_t *len, _Out_ void **out)',
  XGBoosterLoadModelFromBuffer: 'int XGBoosterLoadModelFromBuffer(void *handle, const void *buf, uint64_t len)',
  XGBoosterBoostedRounds: 'int XGBoosterBoostedRounds(void *handle, _Out_ int *out)',
  XGBoosterGetAttr: 'int XGBoosterGetAttr(void *handle, const char *key, _Out_ const char **out, _Out_ int *success)',
  XGBoosterSetAttr: 'int XGBoosterSetAttr(void *handle, const char *key, const char *value)',
  XGBoosterSlice: 'int XGBoosterSlice(void *handle, int begin, int end, int step, _Out_ void **out)',
} as const;

/** Calls of several library calls, run on the engine thread in one go (xgboost-procedures.ts). */
const PROCEDURES = {
  TrainyardQuantileDMatrixFromDense:
    'int TrainyardQuantileDMatrixFromDense(const float *data, uint64_t rows, uint64_t cols, void *ref, const char *config, _Out_ void **out)',
} as const;

export type XGBoostFunctionName = keyof typeof SIGNATURES;
export type XGBoostProcedureName = keyof typeof PROCEDURES;
export type XGBoostApi = Record<XGBoostFunctionName, NativeFunction>;

let located: string | null = null;

function libraryPath(): string {
  located ??= locateNativeLibrary('xgboost');
  return located;
}

function engineThread(): EngineThread {
  return EngineThread.for({
    path: libraryPath(),
    signatures: SIGNATURES,
    lastErrorFunction: 'XGBGetLastError',
    procedures: { module: join(__dirname, 'xgboost-procedures.js'), signatures: PROCEDURES },
  });
}

let api: XGBoostApi | null = null;

/** Binds the C API on first use, so importing the engine never touches the native library. */
export function xgboostApi(): XGBoostApi {
  if (api) return api;
  const lib = openNativeLibrary(libraryPath());
  const bound = {} as XGBoostApi;
  for (const [name, signature] of Object.entries(SIGNATURES)) {
    bound[name as XGBoostFunctionName] = lib.func(signature) as unknown as NativeFunction;
  }
  api = bound;
  return api;
}

/** Calls on this thread and throws XGBoost's error text on a non-zero return. */
export function callXGBoost(code: JobErrorCode, name: XGBoostFunctionName, ...args: unknown[]): void {
  const fns = xgboostApi();
  if ((fns[name](...args) as number) !== 0) throw new XGBoostCallError(code, name, lastError());
}

/** Calls on the XGBoost engine thread, off the event loop; see EngineThread for why it is one thread. */
export async function callXGBoostOffThread(code: JobErrorCode, name: XGBoostFunctionName | XGBoostProcedureName, ...args: unknown[]): Promise<void> {
  const { rc, error } = await engineThread().call(name, args);
  if (rc !== 0) throw new XGBoostCallError(code, name, error ?? '');
}

/** Calls back to back in one trip to the engine thread; throws on the first that fails. */
export async function callXGBoostInOrder(code: JobErrorCode, calls: { name: XGBoostFunctionName; args: unknown[] }[]): Promise<void> {
  const results = await engineThread().callInOrder(calls);
  const failed = results.findIndex((r) => r.rc !== 0);
  if (failed >= 0) throw new XGBoostCallError(code, calls[failed].name, results[failed].error ?? '');
}

function lastError(): string {
  return String(xgboostApi().XGBGetLastError() ?? '');
}
