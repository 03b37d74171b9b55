import { MlError } from '@trainyard/ml';
import { ERROR_CODES, type ErrorCode, type Resource } from './error-codes';

/** An error the API returns as `{ error: { code, message, details } }`, with the status the registry gives its code. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_CODES[code].status;
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export const validationFailed = (fields: FieldError[]) =>
  new ApiError('VALIDATION_FAILED', fields.length === 1 ? `${fields[0].field}: ${fields[0].message}` : `${fields.length} fields are invalid`, { fields });

export const notFound = (resource: Resource, id: string) => new ApiError(`${resource}_NOT_FOUND`, `${resource.toLowerCase()} ${id} was not found`);

export const unavailable = (what: string, cause?: unknown) =>
  new ApiError('UNAVAILABLE', `${what} is unavailable; nothing was accepted`, cause instanceof Error ? { cause: cause.message } : {});

/** An ML library failure as the API answers it: its own code and the status the registry gives that code. */
export function fromMlError(err: MlError): ApiError {
  return new ApiError(err.code, err.message, err.details);
}

/** Runs `fn`, turning an MlError into its ApiError. */
export async function mlErrorsAsApiErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof MlError ? fromMlError(err) : err;
  }
}
