import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** A named pointer to one version of a model; `production` is what serving uses by default. */
@Entity({ tableName: 'model_aliases' })
export class ModelAlias {
  @PrimaryKey({ type: 'uuid' })
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
