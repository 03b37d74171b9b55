import type { JobErrorCode } from '@trainyard/contracts';

/**
 * Every error code the API answers with, its HTTP status and what it means: API.md's codes and the additive ones.
 * ApiError takes its status from here, the OpenAPI document lists these, and a code missing here does not compile.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, meaning: 'The request is malformed; details.fields names each field and why.' },
  UNAUTHENTICATED: { status: 401, meaning: 'No bearer token, or one that is not valid or was revoked.' },
  FORBIDDEN: { status: 403, meaning: "The token's role (or tenant) may not do this." },
  NOT_FOUND: { status: 404, meaning: 'No such route.' },
  DATASET_NOT_FOUND: { status: 404, meaning: "No dataset with this id in the caller's tenant." },
  JOB_NOT_FOUND: { status: 404, meaning: "No training job with this id in the caller's tenant." },
  MODEL_NOT_FOUND: { status: 404, meaning: "No such model, version or alias in the caller's tenant." },
  STUDY_NOT_FOUND: { status: 404, meaning: "No study with this id in the caller's tenant." },
  SCHEDULE_NOT_FOUND: { status: 404, meaning: "No schedule with this id in the caller's tenant." },
  TOKEN_NOT_FOUND: { status: 404, meaning: "No live token with this id in the caller's tenant." },
  WEBHOOK_NOT_FOUND: { status: 404, meaning: "No webhook with this id in the caller's tenant." },
  EVENT_NOT_FOUND: { status: 404, meaning: "No event with this id in the caller's tenant." },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'The route exists but not with this method.' },
  NOT_ACCEPTABLE: { status: 406, meaning: 'The response cannot be given in a type the Accept header allows.' },
  JOB_NOT_CANCELLABLE: { status: 409, meaning: 'The job has already ended.' },
  JOB_NOT_RETRYABLE: { status: 409, meaning: 'Only failed or cancelled jobs can be retried.' },
  SCHEDULE_RUN_IN_PROGRESS: { status: 409, meaning: "A run of the schedule is still going and its overlap policy is skip; wait for it or cancel its job." },
  STUDY_NOT_CANCELLABLE: { status: 409, meaning: 'The study has already ended.' },
  IDEMPOTENCY_CONFLICT: { status: 409, meaning: 'The Idempotency-Key was used with another body, or its first request is still running.' },
  DATASET_IN_USE: { status: 409, meaning: "A model version's lineage points at the dataset." },
  MODEL_VERSION_IN_USE: { status: 409, meaning: 'An alias points at the model version.' },
  MODEL_NOT_SERVABLE: { status: 409, meaning: 'The version cannot be served: it has no preprocessing plan, or its ONNX file is gone from the store.' },
  ARTIFACT_CORRUPT: { status: 409, meaning: 'A stored object (model artifact, dataset file) no longer matches its sha256; it is never served.' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The body or uploaded file is larger than the limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'The Content-Type, Content-Encoding or charset is not one this route takes.' },
  DATASET_INVALID: { status: 422, meaning: 'The file cannot be read as a dataset; the message gives the line or reason.' },
  TARGET_COLUMN_MISSING: { status: 422, meaning: 'The target column is not in the data.' },
  INVALID_HYPERPARAMETERS: { status: 422, meaning: 'The model parameters cannot be used on this data.' },
  INSUFFICIENT_DATA: { status: 422, meaning: 'Too few rows (or rows of a class) for the requested split or model.' },
  RATE_LIMITED: { status: 429, meaning: 'Too many failed authentications from this address; see Retry-After.' },
  INTERNAL: { status: 500, meaning: 'An unexpected error; the body carries no stack trace.' },
  ONNX_PARITY_FAILED: { status: 500, meaning: 'The exported ONNX model disagrees with the trained model.' },
  TRAINING_FAILED: { status: 500, meaning: 'The training engine failed.' },
  UNAVAILABLE: { status: 503, meaning: 'A dependency (database, Temporal) is down; nothing was accepted.' },
  GPU_UNAVAILABLE: { status: 503, meaning: 'A GPU was required and none is available.' },
  TIMEOUT: { status: 504, meaning: 'The operation did not finish in time.' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** Resources whose absence is `<RESOURCE>_NOT_FOUND`. */
export type Resource = 'DATASET' | 'JOB' | 'MODEL' | 'STUDY' | 'SCHEDULE' | 'TOKEN' | 'WEBHOOK' | 'EVENT';

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** Every job error code of the pipeline is an API error code too, so an ML failure keeps its own code and status. */
export const JOB_ERROR_STATUS: Record<JobErrorCode, number> = {
  DATASET_INVALID: ERROR_CODES.DATASET_INVALID.status,
  DATASET_NOT_FOUND: ERROR_CODES.DATASET_NOT_FOUND.status,
  TARGET_COLUMN_MISSING: ERROR_CODES.TARGET_COLUMN_MISSING.status,
  INVALID_HYPERPARAMETERS: ERROR_CODES.INVALID_HYPERPARAMETERS.status,
  INSUFFICIENT_DATA: ERROR_CODES.INSUFFICIENT_DATA.status,
  GPU_UNAVAILABLE: ERROR_CODES.GPU_UNAVAILABLE.status,
  ONNX_PARITY_FAILED: ERROR_CODES.ONNX_PARITY_FAILED.status,
  ARTIFACT_CORRUPT: ERROR_CODES.ARTIFACT_CORRUPT.status,
  TRAINING_FAILED: ERROR_CODES.TRAINING_FAILED.status,
  TIMEOUT: ERROR_CODES.TIMEOUT.status,
  INTERNAL: ERROR_CODES.INTERNAL.status,
};

/** The status of a Nest/Express error that carries only a status: the registry's generic code for it. */
export const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};
