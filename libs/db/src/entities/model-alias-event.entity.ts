import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { TenantOwned } from '../tenancy/tenant-scope';

/** The audit trail of alias moves: who pointed which alias from which version to which, and when. */
@Entity({ tableName: 'model_alias_events' })
@Index({ properties: ['tenantId', 'modelName', 'id'] })
export class ModelAliasEvent extends TenantOwned {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;


  @Property({ type: 'text' })
  modelName!: string;

  @Property({ type: 'text' })
  alias!: string;

  @Property({ type: 'integer', nullable: true })
  fromVersion: number | null = null;

  /** null when the alias was deleted. */
  @Property({ type: 'integer', nullable: true })
  toVersion: number | null = null;

  @Property({ type: 'text' })
  actor!: string;

  @Property({ type: 'text', nullable: true })
  reason: string | null = null;

  @Property({ type: 'datetime' })
  at: Date = new Date();
}
