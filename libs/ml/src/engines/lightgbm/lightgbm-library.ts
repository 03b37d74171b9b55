import { EngineThread, locateNativeLibrary, openNativeLibrary } from '../../native';
import type { NativeFunction } from '../../native';
import type { JobErrorCode } from '@trainyard/contracts';
import { LightGBMCallError } from './lightgbm-errors';

/** Handles are opaque pointers, which koffi 3 hands back as bigints. */
export type NativeHandle = bigint;

/** Constants from LightGBM's c_api.h. */
export const DTYPE_FLOAT32 = 0;
export const DTYPE_FLOAT64 = 1;
export const PREDICT_NORMAL = 0;
export const PREDICT_RAW_SCORE = 1;
export const IMPORTANCE_GAIN = 1;

const SIGNATURES = {
  LGBM_GetLastError: 'const char *LGBM_GetLastError()',
  LGBM_DatasetCreateFromMat:
    'int LGBM_DatasetCreateFromMat(const void *data, int data_type, int32_t nrow, int32_t ncol, int is_row_major, const char *parameters, void *reference, _Out_ void **out)',
  LGBM_DatasetSetField:
    'int LGBM_DatasetSetField(void *handle, const char *field_name, const void *field_data, int num_element, int type)',
  LGBM_DatasetFree: 'int LGBM_DatasetFree(void *handle)',
  LGBM_DatasetUpdateParamChecking: 'int LGBM_DatasetUpdateParamChecking(const char *old_parameters, const char *new_parameters)',
  LGBM_BoosterCreate: 'int LGBM_BoosterCreate(void *train_data, const char *parameters, _Out_ void **out)',
  LGBM_BoosterAddValidData: 'int LGBM_BoosterAddValidData(void *handle, void *valid_data)',
  LGBM_BoosterMerge: 'int LGBM_BoosterMerge(void *handle, void *other_handle)',
  LGBM_BoosterUpdateOneIter: 'int LGBM_BoosterUpdateOneIter(void *handle, _Out_ int *is_finished)',
  LGBM_BoosterGetEvalCounts: 'int LGBM_BoosterGetEvalCounts(void *handle, _Out_ int *out_len)',
  LGBM_BoosterGetEvalNames:
    'int LGBM_BoosterGetEvalNames(void *handle, int len, _Out_ int *out_len, size_t buffer_len, _Out_ size_t *out_buffer_len, void **out_strs)',
  LGBM_BoosterGetEval: 'int LGBM_BoosterGetEval(void *handle, int data_idx, _Out_ int *out_len, double *out_results)',
  LGBM_BoosterGetCurrentIteration: 'int LGBM_BoosterGetCurrentIteration(void *handle, _Out_ int *out_iteration)',
  LGBM_BoosterNumModelPerIteration: 'int LGBM_BoosterNumModelPerIteration(void *handle, _Out_ int *out_tree_per_iteration)',
  LGBM_BoosterGetNumFeature: 'int LGBM_BoosterGetNumFeature(void *handle, _Out_ int *out_len)',
  LGBM_BoosterSaveModelToString:
    'int LGBM_BoosterSaveModelToString(void *handle, int start_iteration, int num_iteration, int feature_importance_type, int64_t buffer_len, _Out_ int64_t *out_len, uint8_t *out_str)',
  LGBM_BoosterDumpModel:
    'int LGBM_BoosterDumpModel(void *handle, int start_iteration, int num_iteration, int feature_importance_type, int64_t buffer_len, _Out_ int64_t *out_len, uint8_t *out_str)',
  LGBM_BoosterLoadModelFromString:
    'int LGBM_BoosterLoadModelFromString(const uint8_t *model_str, _Out_ int *out_num_iterations, _Out_ void **out)',
  LGBM_BoosterCalcNumPredict:
    'int LGBM_BoosterCalcNumPredict(void *handle, int num_row, int predict_type, int start_iteration, int num_iteration, _Out_ int64_t *out_len)',
  LGBM_BoosterPredictForMat:
    'int LGBM_BoosterPredictForMat(void *handle, const void *data, int data_type, int32_t nrow, int32_t ncol, int is_row_major, int predict_type, int start_iteration, int num_iteration, const char *parameter, _Out_ int64_t *out_len, double *out_result)',
  LGBM_BoosterFeatureImportance:
    'int LGBM_BoosterFeatureImportance(void *handle, int num_iteration, int importance_type, double *out_results)',
  LGBM_BoosterFree: 'int LGBM_BoosterFree(void *handle)',
} as const;

export type LightGBMFunctionName = keyof typeof SIGNATURES;
export type LightGBMApi = Record<LightGBMFunctionName, NativeFunction>;

let located: string | null = null;

function libraryPath(): string {
  located ??= locateNativeLibrary('lightgbm');
  return located;
}

function engineThread(): EngineThread {
  return EngineThread.for({ path: libraryPath(), signatures: SIGNATURES, lastErrorFunction: 'LGBM_GetLastError' });
}

let api: LightGBMApi | null = null;

/** Binds the C API on first use, so importing the engine never touches the native library. */
export function lightgbmApi(): LightGBMApi {
  if (api) return api;
  const lib = openNativeLibrary(libraryPath());
  const bound = {} as LightGBMApi;
  for (const [name, signature] of Object.entries(SIGNATURES)) {
    bound[name as LightGBMFunctionName] = lib.func(signature) as unknown as NativeFunction;
  }
  api = bound;
  return api;
}

/** Calls on this thread and throws LightGBM's error text on a non-zero return. */
export function callLightGBM(code: JobErrorCode, name: LightGBMFunctionName, ...args: unknown[]): void {
  const fns = lightgbmApi();
  if ((fns[name](...args) as number) !== 0) throw new LightGBMCallError(code, name, lastError());
}

/** Calls back to back in one trip to the engine thread; throws on the first that fails. */
export async function callLightGBMInOrder(code: JobErrorCode, calls: { name: LightGBMFunctionName; args: unknown[] }[]): Promise<void> {
  const results = await engineThread().callInOrder(calls);
  const failed = results.findIndex((r) => r.rc !== 0);
  if (failed >= 0) throw new LightGBMCallError(code, calls[failed].name, results[failed].error ?? '');
}

function lastError(): string {
  return String(lightgbmApi().LGBM_GetLastError() ?? '');
}

/** Calls on the LightGBM engine thread, off the event loop; see EngineThread for why it is one thread. */
export async function callLightGBMOffThread(code: JobErrorCode, name: LightGBMFunctionName, ...args: unknown[]): Promise<void> {
  const { rc, error } = await engineThread().call(name, args);
  if (rc !== 0) throw new LightGBMCallError(code, name, error ?? '');
}
