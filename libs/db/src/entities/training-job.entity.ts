import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type {
  Device,
  JobError,
  JobStatus,
  ModelType,
  ModelVersionRef,
  Priority,
  Stage,
  Task,
  TrainingSpec,
} from '@trainyard/contracts';
import { TenantOwned } from '../tenancy/tenant-scope';

@Entity({ tableName: 'training_jobs' })
@Index({ properties: ['tenantId', 'createdAt'] })
@Index({ properties: ['tenantId', 'status', 'createdAt'] })
@Index({ properties: ['tenantId', 'experiment', 'createdAt'] })
@Index({ properties: ['tenantId', 'name', 'createdAt'] })
@Index({ properties: ['status'] })
export class TrainingJob extends TenantOwned {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  experiment!: string;

  @Property({ type: 'uuid' })
  datasetId!: string;

  @Property({ type: 'text' })
  target!: string;

  @Property({ type: 'text', nullable: true })
  task: Task | null = null;

  @Property({ type: 'text' })
  modelType!: ModelType;

  /** The request after defaults, exactly as handed to the workflow. */
  @Property({ type: 'jsonb' })
  spec!: TrainingSpec;

  @Property({ type: 'text' })
  status: JobStatus = 'queued';

  @Property({ type: 'text', nullable: true })
  stage: Stage | null = null;

  @Property({ type: 'double' })
  progress = 0;

  @Property({ type: 'text' })
  priority: Priority = 'normal';

  @Property({ type: 'text', nullable: true })
  device: Device | null = null;

  @Property({ type: 'jsonb', nullable: true })
  metrics: Record<string, unknown> | null = null;

  @Property({ type: 'jsonb', nullable: true })
  validationMetrics: Record<string, unknown> | null = null;

  @Property({ type: 'jsonb', nullable: true })
  cvMetrics: Record<string, unknown> | null = null;

  @Property({ type: 'jsonb', nullable: true })
  error: JobError | null = null;

  @Property({ type: 'jsonb', nullable: true })
  modelVersion: ModelVersionRef | null = null;

  /** For scheduled runs with a promotion rule: whether the new model beat the alias holder, and by how much. */
  @Property({ type: 'jsonb', nullable: true })
  promotion: { deploymentReady: boolean; performanceImprovement: number | null; alias: string; metric: string; promoted: boolean; previousVersion: number | null } | null = null;

  @Property({ type: 'uuid', nullable: true })
  retryOf: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  studyId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  scheduleId: string | null = null;

  @Property({ type: 'text' })
  workflowId!: string;

  @Property({ type: 'jsonb' })
  tags: Record<string, string> = {};

  @Property({ type: 'text', nullable: true })
  notes: string | null = null;

  @Property({ type: 'text' })
  createdBy!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  startedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  completedAt: Date | null = null;
}
