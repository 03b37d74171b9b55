import type { JobErrorCode } from '@trainyard/contracts';
import { MlError } from '../../errors';

/** A non-zero return from the LightGBM C API, carrying LightGBM's own error text. */
export class LightGBMCallError extends MlError {
  constructor(code: JobErrorCode, call: string, nativeMessage: string) {
    super(code, `LightGBM ${call} failed: ${nativeMessage.trim() || 'no error text from LightGBM'}`, { call, nativeMessage });
    this.name = 'LightGBMCallError';
  }
}
