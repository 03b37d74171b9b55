/** An error the API returns as `{ error: { code, message, details } }` with `status`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export const validationFailed = (fields: FieldError[]) =>
  new ApiError(400, 'VALIDATION_FAILED', fields.length === 1 ? `${fields[0].field}: ${fields[0].message}` : `${fields.length} fields are invalid`, { fields });

export const notFound = (resource: 'DATASET' | 'JOB' | 'MODEL' | 'STUDY' | 'SCHEDULE' | 'TOKEN' | 'TENANT', id: string) =>
  new ApiError(404, `${resource}_NOT_FOUND`, `${resource.toLowerCase()} ${id} was not found`);

export const unavailable = (what: string, cause?: unknown) =>
  new ApiError(503, 'UNAVAILABLE', `${what} is unavailable; nothing was accepted`, cause instanceof Error ? { cause: cause.message } : {});
