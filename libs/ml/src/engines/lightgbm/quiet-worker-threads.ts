import { callLightGBM, callLightGBMOffThread } from './lightgbm-library';

const QUIET = 'verbosity=-1';

let quieted: Promise<void> | null = null;

/**
 * LightGBM's log level is thread-local and only set where a parameter string is parsed, so a boosting round
 * on a thread that has parsed none would print at Info level. Parsing one quiet parameter string on the
 * engine thread, and one here for the calls made on the main thread, keeps both silent.
 */
export function quietWorkerThreads(): Promise<void> {
  quieted ??= (async () => {
    await callLightGBMOffThread('INTERNAL', 'LGBM_DatasetUpdateParamChecking', QUIET, QUIET);
    callLightGBM('INTERNAL', 'LGBM_DatasetUpdateParamChecking', QUIET, QUIET);
  })();
  return quieted;
}
