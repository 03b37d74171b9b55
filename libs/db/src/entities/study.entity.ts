import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { JobError, ModelVersionRef, TrainingSpec } from '@trainyard/contracts';
import { TenantOwned } from '../tenancy/tenant-scope';

export type StudyStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export interface StudyObjective {
  metric: string;
  direction: 'maximize' | 'minimize';
}

export interface BestTrial {
  number: number;
  params: Record<string, unknown>;
  value: number;
  jobId: string;
  /** The version the best trial was registered as, when the study registered it. */
  modelVersion?: ModelVersionRef;
}

/** A hyperparameter search: one workflow that runs trials, each a training job of its own. */
@Entity({ tableName: 'studies' })
@Index({ properties: ['tenantId', 'createdAt'] })
export class Study extends TenantOwned {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'jsonb' })
  job!: TrainingSpec & { tags?: Record<string, string> };

  @Property({ type: 'jsonb' })
  searchSpace!: Record<string, unknown>;

  @Property({ type: 'jsonb' })
  objective!: StudyObjective;

  @Property({ type: 'integer' })
  trials!: number;

  @Property({ type: 'integer' })
  parallelism!: number;

  @Property({ type: 'text' })
  sampler!: 'random' | 'grid' | 'tpe';

  @Property({ type: 'text' })
  pruner!: 'none' | 'median' | 'asha';

  @Property({ type: 'integer', nullable: true })
  timeoutSeconds: number | null = null;

  @Property({ type: 'integer' })
  seed!: number;

  @Property({ type: 'text' })
  status: StudyStatus = 'running';

  @Property({ type: 'jsonb', nullable: true })
  bestTrial: BestTrial | null = null;

  /** Why a failed study failed (its data could not be prepared, say). */
  @Property({ type: 'jsonb', nullable: true })
  error: JobError | null = null;

  @Property({ type: 'text' })
  workflowId!: string;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt: Date | null = null;
}
