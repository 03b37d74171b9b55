import type { ModelSignature } from '@trainyard/db';
import { parseDatetime } from '@trainyard/ml';
import { validationFailed, type FieldError } from '../common/api-error';

export const MAX_RECORDS = 10_000;
const MAX_ERRORS = 50;

/** Checks raw records against the model's input columns: every column present (null = missing), values of its type. */
export function validateRecords(records: unknown, signature: ModelSignature): Record<string, unknown>[] {
  if (!Array.isArray(records) || records.length === 0 || records.length > MAX_RECORDS) {
    throw validationFailed([{ field: 'records', message: `must be an array of 1 to ${MAX_RECORDS} objects` }]);
  }
  const errors: FieldError[] = [];
  const push = (field: string, message: string) => errors.length < MAX_ERRORS && errors.push({ field, message });
  records.forEach((record, i) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return push(`records[${i}]`, 'must be an object of column values');
    const r = record as Record<string, unknown>;
    for (const input of signature.inputs) {
      // The field path is built only for a problem: this loop runs for every cell of a 10k-record batch.
      if (!(input.name in r)) {
        push(`records[${i}].${input.name}`, 'is required (send null for a missing value)');
        continue;
      }
      const problem = typeProblem(r[input.name], input.type);
      if (problem) push(`records[${i}].${input.name}`, problem);
    }
  });
  if (errors.length) throw validationFailed(errors);
  return records as Record<string, unknown>[];
}

function typeProblem(value: unknown, type: string): string | null {
  if (value === null) return null;
  switch (type) {
    case 'number':
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? null : `must be a ${type} or null`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true, false or null';
    case 'datetime':
      if (typeof value === 'number' && Number.isFinite(value)) return null;
      return typeof value === 'string' && !Number.isNaN(parseDatetime(value)) ? null : 'must be an ISO-8601 date or date-time, epoch milliseconds, or null';
    case 'string':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? null : 'must be a string or null';
    default:
      return null;
  }
}
