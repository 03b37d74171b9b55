import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null = null;

/** Memory let go of at once from this size on is worth a full collection (tens of milliseconds) to give back now. */
export const WORTH_COLLECTING_BYTES = 32 * 1024 ** 2;

/**
 * A full garbage collection, now, for when a step lets go of hundreds of MB of ArrayBuffers at once (a parsed
 * frame, its float64 columns): V8 collects only when the JavaScript heap asks it to, and training allocates almost
 * nothing there while XGBoost fills native memory, so without it the dead frame stays resident through training and
 * the worker's peak holds both. The function is exposed as jest's leak detector does when
 * the process was not started with --expose-gc: in one new context only, the flag cleared again at once, so the
 * workflow sandboxes' contexts never see a `gc`.
 */
export function collectGarbage(): void {
  collect ??= globalThis.gc ?? exposedGc();
  collect();
}

function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
