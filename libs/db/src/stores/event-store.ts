import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Webhook, type EventType } from '../entities';

/** Records events once per subject and type, so retried steps cannot announce an outcome twice. */
export class EventStore {
  constructor(private readonly em: EntityManager) {}

  /** Returns the event's id, new or existing; inside the EntityManager's transaction when it has one. */
  async record(tenantId: string, type: EventType, dedupeKey: string, data: Record<string, unknown>): Promise<string> {
    const rows = await this.em.getConnection().execute<{ id: string }[]>(
      `insert into events (id, tenant_id, type, dedupe_key, data, created_at) values (?, ?, ?, ?, ?::jsonb, now())
       on conflict (dedupe_key) do update set dedupe_key = excluded.dedupe_key
       returning id`,
      [randomUUID(), tenantId, type, dedupeKey, JSON.stringify(data)],
      'all',
      this.em.getTransactionContext(),
    );
    return rows[0].id;
  }

  /** Whether a live webhook of the tenant listens for `type`: an event nobody listens for needs no delivery workflow. */
  async hasSubscribers(tenantId: string, type: EventType): Promise<boolean> {
    const hooks = await this.em.find(Webhook, { tenantId, deletedAt: null }, { fields: ['events'] });
    return hooks.some((h) => h.events.includes(type));
  }
}
