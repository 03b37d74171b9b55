import { callLightGBM, callLightGBMOffThread, DTYPE_FLOAT32 } from './lightgbm-library';
import type { NativeHandle } from './lightgbm-library';

/** Rows in each priming dataset: enough binning work that concurrent primes land on different pool threads. */
const PRIMING_ROWS = 20_000;
const QUIET = 'verbosity=-1';

let primed: Promise<void> | null = null;

/**
 * LightGBM's log level is thread-local and only set where a parameter string is parsed, so a boosting round
 * on a fresh pool thread would print at Info level. Building one small dataset per pool thread quiets them all.
 */
export function quietWorkerThreads(): Promise<void> {
  primed ??= prime();
  return primed;
}

async function prime(): Promise<void> {
  const threads = Math.max(4, Number(process.env.UV_THREADPOOL_SIZE) || 4);
  const data = Float32Array.from({ length: PRIMING_ROWS }, (_, i) => i % 97);
  await Promise.all(
    Array.from({ length: threads }, async () => {
      const out: (NativeHandle | null)[] = [null];
      await callLightGBMOffThread('INTERNAL', 'LGBM_DatasetCreateFromMat', data, DTYPE_FLOAT32, PRIMING_ROWS, 1, 1, QUIET, null, out);
      callLightGBM('INTERNAL', 'LGBM_DatasetFree', out[0]);
    }),
  );
  // The main thread parses no parameters of its own before its first (replayed) call.
  callLightGBM('INTERNAL', 'LGBM_DatasetUpdateParamChecking', QUIET, QUIET);
}
