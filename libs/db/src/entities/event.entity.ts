import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { TenantOwned } from '../tenancy/tenant-scope';

export const EVENT_TYPES = ['training.completed', 'training.failed', 'training.cancelled', 'model.promoted'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Something that happened, kept for polling (`GET /v1/events?after=`) and delivered to webhooks. */
@Entity({ tableName: 'events' })
@Index({ properties: ['tenantId', 'seq'] })
export class TrainyardEvent extends TenantOwned {
  /** Insertion order, for `after=` paging; ids are random. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  seq!: string;

  @Property({ type: 'uuid', unique: 'events_id_key' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  type!: EventType;

  /** One event per (subject, type): a retried step cannot announce the same outcome twice. */
  @Property({ type: 'text', unique: 'events_dedupe_key_key' })
  dedupeKey!: string;

  @Property({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
