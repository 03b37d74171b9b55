import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { EventType } from './event.entity';
import { TenantOwned } from '../tenancy/tenant-scope';

@Entity({ tableName: 'webhooks' })
@Index({ name: 'webhooks_tenant_id_index', expression: 'create index "webhooks_tenant_id_index" on "webhooks" ("tenant_id") where "deleted_at" is null' })
export class Webhook extends TenantOwned {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'jsonb' })
  events!: EventType[];

  /** The signing secret, encrypted with the server's key (it must be recoverable to sign, so it cannot be hashed). */
  @Property({ type: 'text' })
  secretCiphertext!: string;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  deletedAt: Date | null = null;
}
