import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { ColumnSummary } from '@trainyard/contracts';
import { TenantOwned } from '../tenancy/tenant-scope';

@Entity({ tableName: 'datasets' })
@Unique({ properties: ['tenantId', 'name', 'version'] })
@Index({ properties: ['tenantId', 'name', 'sha256'] })
@Index({ properties: ['tenantId', 'createdAt'] })
export class Dataset extends TenantOwned {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'text' })
  format!: 'csv' | 'parquet';

  @Property({ type: 'integer' })
  rows!: number;

  @Property({ type: 'jsonb' })
  columns!: ColumnSummary[];

  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: new BigIntType('number') })
  sizeBytes!: number;

  /** Relative to the data dir; always built by the server, never from user input. */
  @Property({ type: 'text' })
  storagePath!: string;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
