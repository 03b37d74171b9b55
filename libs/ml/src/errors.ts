import type { JobErrorCode } from '@trainyard/contracts';

/** A failure the ML library can name; `code` is one of the job error codes in contracts. */
export class MlError extends Error {
  constructor(
    readonly code: JobErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'MlError';
  }
}
