import type { JobErrorCode } from '@trainyard/contracts';
import { MlError } from '../../errors';

/** A non-zero return from the XGBoost C API, carrying XGBoost's own error text. */
export class XGBoostCallError extends MlError {
  constructor(code: JobErrorCode, call: string, nativeMessage: string) {
    super(code, `XGBoost ${call} failed: ${firstLine(nativeMessage)}`, { call, nativeMessage });
    this.name = 'XGBoostCallError';
  }
}

// XGBoost appends a native stack trace after the first line; keep it in details only.
function firstLine(text: string): string {
  const line = text.split('\n')[0]?.trim();
  return line ? line.replace(/^\[[\d:]+\]\s*/, '') : 'no error text from XGBoost';
}
