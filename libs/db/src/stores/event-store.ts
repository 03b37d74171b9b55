import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventType } from '../entities';

/** Records events once per subject and type, so retried steps cannot announce an outcome twice. */
export class EventStore {
  constructor(private readonly em: EntityManager) {}

  /** Returns the event's id, new or existing. */
  async record(tenantId: string, type: EventType, dedupeKey: string, data: Record<string, unknown>): Promise<string> {
    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `insert into events (id, tenant_id, type, dedupe_key, data, created_at) values (?, ?, ?, ?, ?::jsonb, now())
       on conflict (dedupe_key) do update set dedupe_key = excluded.dedupe_key
       returning id`,
      [randomUUID(), tenantId, type, dedupeKey, JSON.stringify(data)],
    );
    return rows[0].id;
  }
}
