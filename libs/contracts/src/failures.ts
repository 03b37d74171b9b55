/**
 * Failure types a job can end with. Activities throw ApplicationFailure with one of these as `type`;
 * the job records it as `error.code`, and the API maps it to an HTTP status where it surfaces.
 */
export const JOB_ERROR_CODES = [
  'DATASET_INVALID',
  'DATASET_NOT_FOUND',
  'TARGET_COLUMN_MISSING',
  'INVALID_HYPERPARAMETERS',
  'INSUFFICIENT_DATA',
  'GPU_UNAVAILABLE',
  'ONNX_PARITY_FAILED',
  'ARTIFACT_CORRUPT',
  'TRAINING_FAILED',
  'TIMEOUT',
  'INTERNAL',
] as const;
export type JobErrorCode = (typeof JOB_ERROR_CODES)[number];

/** Failure types that no retry can fix. */
export const NON_RETRYABLE_JOB_ERRORS: readonly JobErrorCode[] = [
  'DATASET_INVALID',
  'DATASET_NOT_FOUND',
  'TARGET_COLUMN_MISSING',
  'INVALID_HYPERPARAMETERS',
  'INSUFFICIENT_DATA',
  'GPU_UNAVAILABLE',
  'ONNX_PARITY_FAILED',
  'ARTIFACT_CORRUPT',
];

export interface JobError {
  code: JobErrorCode;
  message: string;
}

export function isJobErrorCode(value: unknown): value is JobErrorCode {
  return typeof value === 'string' && (JOB_ERROR_CODES as readonly string[]).includes(value);
}
