import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { TenantOwned } from '../tenancy/tenant-scope';

export const OVERLAP_POLICIES = ['skip', 'buffer_one', 'buffer_all', 'cancel_other', 'terminate_other', 'allow_all'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export interface PromotionRule {
  alias: string;
  metric: string;
  minImprovement: number;
}

/** A recurring retrain, run by a Temporal Schedule with the same id. */
@Entity({ tableName: 'schedules' })
@Index({ properties: ['tenantId', 'createdAt'] })
export class TrainingSchedule extends TenantOwned {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  cron: string | null = null;

  @Property({ type: 'integer', nullable: true })
  intervalSeconds: number | null = null;

  @Property({ type: 'text' })
  timezone = 'UTC';

  /** The training job body as submitted; each run trains on the newest version of its dataset's name. */
  @Property({ type: 'jsonb' })
  job!: Record<string, unknown>;

  @Property({ type: 'text' })
  overlap: OverlapPolicy = 'skip';

  @Property({ type: 'jsonb', nullable: true })
  promote: PromotionRule | null = null;

  @Property({ type: 'boolean' })
  paused = false;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  deletedAt: Date | null = null;
}
