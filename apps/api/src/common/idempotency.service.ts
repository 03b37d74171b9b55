import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { IdempotencyRecord, currentTenant } from '@trainyard/db';
import { ApiError } from './api-error';
import { WithStatus } from './endpoint';

/** Canonical JSON: object keys sorted, so the same body hashes the same whatever its key order. */
export function requestHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(value) ?? null)).digest('hex');
}

/**
 * Implements the Idempotency-Key contract: the first request with a key runs and its response is kept;
 * the same key with the same body gets that response again (200), with another body 409 IDEMPOTENCY_CONFLICT.
 * Keys are per tenant (the request's scope) and per route.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly em: EntityManager) {}

  async run<T>(
    scope: { route: string; key: string | undefined; hash: string },
    create: () => Promise<WithStatus<T>>,
    /** What to keep for replays (e.g. without secrets); defaults to the body itself. */
    keep: (body: T) => unknown = (body) => body,
  ): Promise<WithStatus<T>> {
    if (!scope.key) return create();
    const em = this.em.fork();
    const where = { tenantId: currentTenant(em), route: scope.route, key: scope.key };
    // A key seen before inserts nothing (rather than failing on the unique key, which the database would log as an error).
    const claimed = await em
      .createQueryBuilder(IdempotencyRecord)
      .insert({ id: randomUUID(), ...where, requestHash: scope.hash, createdAt: new Date() })
      .onConflict(['tenantId', 'route', 'key'])
      .ignore()
      .execute('run');
    if (claimed.affectedRows === 0) {
      const first = await em.findOneOrFail(IdempotencyRecord, where);
      if (first.requestHash !== scope.hash) throw new ApiError('IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was used with a different request body');
      if (first.statusCode === null) throw new ApiError('IDEMPOTENCY_CONFLICT', 'a request with this Idempotency-Key is still being processed');
      return new WithStatus(200, first.responseBody as T);
    }
    try {
      const result = await create();
      await em.nativeUpdate(IdempotencyRecord, where, { statusCode: result.status, responseBody: keep(result.body) });
      return result;
    } catch (err) {
      // Nothing was created, so the key is free to use again.
      await em.nativeDelete(IdempotencyRecord, where);
      throw err;
    }
  }
}
