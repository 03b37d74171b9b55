import { MlError } from '../errors';

/** Builds the one failure every dataset problem surfaces as, so the API can answer 422 with the reason. */
export function datasetInvalid(message: string, details: Record<string, unknown> = {}): MlError {
  return new MlError('DATASET_INVALID', message, details);
}
