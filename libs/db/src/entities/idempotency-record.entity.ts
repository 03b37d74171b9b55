import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { TenantOwned } from '../tenancy/tenant-scope';

/** The first response to a create request, replayed when the same Idempotency-Key comes again. */
@Entity({ tableName: 'idempotency_records' })
@Unique({ properties: ['tenantId', 'route', 'key'] })
export class IdempotencyRecord extends TenantOwned {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  route!: string;

  @Property({ type: 'text' })
  key!: string;

  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'integer', nullable: true })
  statusCode: number | null = null;

  @Property({ type: 'jsonb', nullable: true })
  responseBody: unknown = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
