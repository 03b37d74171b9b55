import { z } from 'zod';
import { ERROR_CODE_NAMES } from './error-codes';

/** Building blocks the feature DTOs share. */

export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const Uuid = z.string().regex(UUID_PATTERN, 'must be a UUID').meta({ format: 'uuid', example: '6f1c0a52-3f43-4d59-9a4e-0c2b6c1f7d11' });

/** Job, dataset, study, schedule and model names. */
export const Name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'letters, digits, ".", "_" or "-", up to 128 characters')
  .meta({ example: 'churn' });

/** Always names a model's newest version: no alias may be called so. */
export const LATEST = 'latest';

export const AliasName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, "_" and "-", starting with a letter')
  .refine((alias) => alias !== LATEST, `"${LATEST}" is reserved: it always names the newest version`)
  .meta({ example: 'production' });

/** What a model version may carry besides its number: a short label (e.g. "v3.0") and a description. */
export const VersionLabel = z.string('must be a string of 1 to 100 characters').trim().min(1, 'must be a string of 1 to 100 characters').max(100, 'must be a string of 1 to 100 characters').meta({ example: 'v3.0' });
export const VersionDescription = z.string('must be a string of at most 2000 characters').max(2000, 'must be a string of at most 2000 characters');

export const Timestamp = z.string().meta({ format: 'date-time', description: 'ISO-8601, UTC', example: '2026-12-01T09:30:00.000Z' });

export const JsonObject = z.record(z.string(), z.unknown());

/** A query value: absent or empty means "not given". */
const given = (v: unknown) => (v === '' ? undefined : v);

/** An integer query parameter in [min, max] with a default; anything else is a 400, not silently clamped. */
export function queryInt(min: number, max: number, fallback: number, description: string) {
  return z.preprocess(given, z.coerce.number().int(`must be an integer from ${min} to ${max}`).min(min, `must be an integer from ${min} to ${max}`).max(max, `must be an integer from ${min} to ${max}`).default(fallback)).meta({ description });
}

/** An optional string query parameter; empty means absent. */
export function queryText(description: string, schema: z.ZodType<string> = z.string().max(500)) {
  return z.preprocess(given, schema.optional()).meta({ description });
}

/** An optional enum query parameter: an unknown value is a 400, not an empty page. */
export function queryEnum<const T extends readonly [string, ...string[]]>(values: T, description: string) {
  return z.preprocess(given, z.enum(values, `must be one of ${values.join(', ')}`).optional()).meta({ description });
}

export const PageQuery = z.strictObject({
  page: queryInt(1, Number.MAX_SAFE_INTEGER, 1, 'page number, from 1'),
  pageSize: queryInt(1, 100, 20, 'items per page, 1 to 100'),
});
export type PageQuery = z.output<typeof PageQuery>;

export interface PageWindow {
  page: number;
  pageSize: number;
  offset: number;
}

export function pageWindow(q: { page: number; pageSize: number }): PageWindow {
  return { page: q.page, pageSize: q.pageSize, offset: (q.page - 1) * q.pageSize };
}

export function pageOf<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item),
    total: z.number().int().meta({ description: 'items across all pages' }),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** `sort=-createdAt` against the allowed fields. */
export function sortQuery<const F extends readonly [string, ...string[]]>(fields: F, fallback: `-${F[number]}` | F[number]) {
  const allowed = fields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
  return z
    .preprocess(given, z.enum(allowed, `must be one of ${fields.join(', ')} (prefix - for descending)`).default(fallback))
    .transform((value) => ({ field: value.replace(/^-/, '') as F[number], direction: value.startsWith('-') ? ('desc' as const) : ('asc' as const) }))
    .meta({ description: `one of ${fields.join(', ')}; prefix - for descending`, example: fallback });
}

export const FieldErrorDto = z.strictObject({ field: z.string(), message: z.string() });

export const ErrorEnvelope = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODE_NAMES).meta({ description: 'stable, SNAKE_UPPER; see the error code registry' }),
      message: z.string().meta({ description: 'a human sentence' }),
      details: JsonObject.meta({ description: 'VALIDATION_FAILED lists `fields`: [{ field, message }]' }),
    }),
  })
  .meta({ id: 'Error', example: { error: { code: 'VALIDATION_FAILED', message: 'target: required', details: { fields: [{ field: 'target', message: 'required' }] } } } });

export const IdParams = z.strictObject({ id: Uuid });
