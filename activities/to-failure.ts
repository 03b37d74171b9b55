import { ApplicationFailure } from '@temporalio/activity';
import { NON_RETRYABLE_JOB_ERRORS, type JobErrorCode } from '@trainyard/contracts';
import { MlError } from '@trainyard/ml';
import { ArtifactCorruptError } from '@trainyard/storage';

/** Turns a named ML failure into the Temporal failure the workflow maps to a job error; anything else stays retryable. */
export function toFailure(err: unknown): unknown {
  if (err instanceof MlError) return jobFailure(err.code, err.message, err.details);
  // The store already fetched it again once: a second bad copy will not heal with a retry.
  if (err instanceof ArtifactCorruptError) return jobFailure('ARTIFACT_CORRUPT', err.message, { key: err.key });
  return err;
}

export function jobFailure(code: JobErrorCode, message: string, details: Record<string, unknown> = {}): ApplicationFailure {
  return ApplicationFailure.create({
    type: code,
    message,
    details: [details],
    nonRetryable: NON_RETRYABLE_JOB_ERRORS.includes(code),
  });
}
