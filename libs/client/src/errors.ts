/** An answer of the API other than 2xx, with the contract's stable error code. */
export class TrainyardApiError extends Error {
  override name = 'TrainyardApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }

  /** Builds the error from a response's status and (possibly non-JSON) body. */
  static from(status: number, body: unknown): TrainyardApiError {
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
    if (error && typeof error.code === 'string') {
      return new TrainyardApiError(status, error.code, typeof error.message === 'string' ? error.message : error.code, (error.details as Record<string, unknown>) ?? {});
    }
    return new TrainyardApiError(status, status >= 500 ? 'INTERNAL' : 'HTTP_ERROR', `the server answered ${status}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}

/** The API could not be reached at all (refused, DNS, TLS). */
export class TrainyardConnectionError extends Error {
  override name = 'TrainyardConnectionError';
}
