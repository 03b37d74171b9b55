import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { Client, Connection } from '@temporalio/client';
import { WithStatus } from '../common/endpoint';
import { TEMPORAL_CLIENT } from '../config.token';
import type { HealthDto } from './health.dto';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS))]);
}

@Injectable()
export class HealthService {
  constructor(
    private readonly em: EntityManager,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  async check(): Promise<WithStatus<HealthDto>> {
    const [database, temporal] = await Promise.all([
      withTimeout(this.em.getConnection().execute('select 1')).then(() => 'ok', (e: Error) => `error: ${e.message}`),
      // A deadline, not just the race: the client retries UNAVAILABLE for ~25 s, and a retry still pending when the
      // connection closes (shutdown) throws an uncaught "Channel has been shut down".
      withTimeout(this.withDeadline(() => (this.temporal.connection as Connection).healthService.check({}))).then(() => 'ok', (e: Error) => `error: ${e.message}`),
    ]);
    const ok = database === 'ok' && temporal === 'ok';
    return new WithStatus(ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', checks: { database, temporal } });
  }

  private withDeadline<T>(fn: () => Promise<T>): Promise<T> {
    return (this.temporal.connection as Connection).withDeadline(Date.now() + CHECK_TIMEOUT_MS, fn);
  }
}
