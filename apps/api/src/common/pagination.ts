import { validationFailed, type FieldError } from './api-error';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PageQuery {
  page: number;
  pageSize: number;
  offset: number;
}

/** Reads `page` and `pageSize` (1..100, default 20); out-of-range values are a 400, not silently clamped. */
export function parsePage(query: Record<string, unknown>, errors: FieldError[] = []): PageQuery {
  const page = intParam(query.page, 'page', 1, 1, Number.MAX_SAFE_INTEGER, errors);
  const pageSize = intParam(query.pageSize, 'pageSize', 20, 1, 100, errors);
  return { page, pageSize, offset: (page - 1) * pageSize };
}

export function intParam(raw: unknown, field: string, fallback: number, min: number, max: number, errors: FieldError[]): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    errors.push({ field, message: `must be an integer from ${min} to ${max}` });
    return fallback;
  }
  return value;
}

/** Parses `sort=-createdAt` against the allowed fields. */
export function parseSort<F extends string>(raw: unknown, allowed: readonly F[], fallback: `-${F}` | F, errors: FieldError[]): { field: F; direction: 'asc' | 'desc' } {
  const value = typeof raw === 'string' && raw !== '' ? raw : fallback;
  const desc = value.startsWith('-');
  const field = (desc ? value.slice(1) : value) as F;
  if (!allowed.includes(field)) {
    errors.push({ field: 'sort', message: `must be one of ${allowed.join(', ')} (prefix - for descending)` });
    const fb = fallback.startsWith('-') ? fallback.slice(1) : fallback;
    return { field: fb as F, direction: fallback.startsWith('-') ? 'desc' : 'asc' };
  }
  return { field, direction: desc ? 'desc' : 'asc' };
}

export function throwIfInvalid(errors: FieldError[]): void {
  if (errors.length) throw validationFailed(errors);
}
