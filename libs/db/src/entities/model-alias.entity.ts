import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Tenant } from './tenant.entity';

/** A named pointer to one version of a model; `production` is what serving uses by default. */
@Entity({ tableName: 'model_aliases' })
export class ModelAlias {
  @ManyToOne(() => Tenant, { primary: true, mapToPk: true, fieldName: 'tenant_id', updateRule: 'no action', deleteRule: 'no action' })
  tenantId!: string;

  @PrimaryKey({ type: 'text' })
  modelName!: string;

  @PrimaryKey({ type: 'text' })
  alias!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'text' })
  updatedBy!: string;

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
