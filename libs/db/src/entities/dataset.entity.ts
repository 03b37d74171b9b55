import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { ColumnSummary, StoredObject } from '@trainyard/contracts';
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

  /** The file's object key in the store (objectKeys.dataset); built by the server, never from user input. */
  @Property({ type: 'text' })
  storageKey!: string;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Archived datasets are hidden from lists and refused by new jobs, and kept for the lineage of what they trained. */
  @Property({ type: 'datetime', nullable: true })
  archivedAt: Date | null = null;
}

/** The dataset's file as the store holds it; readers check it against the row's sha256. */
export function datasetObject(d: Pick<Dataset, 'storageKey' | 'sha256' | 'sizeBytes'>): StoredObject {
  return { key: d.storageKey, sha256: d.sha256, size: d.sizeBytes, encoding: 'identity' };
}
