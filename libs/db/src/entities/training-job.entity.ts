import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type {
  ClassDistribution,
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
import { METRIC_DIRECTIONS } from '@trainyard/contracts';
import { TenantOwned } from '../tenancy/tenant-scope';

/** The text `?q=` searches: name, notes and error message; the search index is on exactly this expression. */
export const JOB_SEARCH_TEXT = `"name" || ' ' || coalesce("notes", '') || ' ' || coalesce("error"->>'message', '')`;

@Entity({ tableName: 'training_jobs' })
@Index({ properties: ['tenantId', 'createdAt'] })
@Index({ properties: ['tenantId', 'status', 'createdAt'] })
@Index({ properties: ['tenantId', 'experiment', 'createdAt'] })
@Index({ properties: ['tenantId', 'name', 'createdAt'] })
@Index({ properties: ['status'] })
// `sort=-completedAt` (id breaks ties), and GET /v1/experiments' counts by experiment and status, from indexes.
@Index({ properties: ['tenantId', 'completedAt', 'id'] })
@Index({ properties: ['tenantId', 'experiment', 'status', 'createdAt'] })
@Index({ name: 'training_jobs_tags_index', expression: 'create index "training_jobs_tags_index" on "training_jobs" using gin ("tags" jsonb_path_ops)' })
@Index({ name: 'training_jobs_schedule_id_created_at_index', expression: 'create index "training_jobs_schedule_id_created_at_index" on "training_jobs" ("schedule_id", "created_at") where "schedule_id" is not null' })
// ?q= searches names, notes and error messages with ILIKE '%…%': a trigram index serves any substring.
@Index({ name: 'training_jobs_search_index', expression: `create index "training_jobs_search_index" on "training_jobs" using gin ((${JOB_SEARCH_TEXT}) gin_trgm_ops)` })
@Index({ name: 'training_jobs_study_id_index', expression: 'create index "training_jobs_study_id_index" on "training_jobs" ("study_id") where "study_id" is not null' })
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

  /** The model params as trained (defaults resolved, thread count injected), recorded when training starts. */
  @Property({ type: 'jsonb', nullable: true })
  effectiveParams: Record<string, unknown> | null = null;

  @Property({ type: 'jsonb', nullable: true })
  metrics: Record<string, unknown> | null = null;

  @Property({ type: 'jsonb', nullable: true })
  validationMetrics: Record<string, unknown> | null = null;

  @Property({ type: 'jsonb', nullable: true })
  cvMetrics: Record<string, unknown> | null = null;

  /** Metrics on (a bounded sample of) the training split, beside the test and validation ones. */
  @Property({ type: 'jsonb', nullable: true })
  trainMetrics: Record<string, unknown> | null = null;

  /** Classification: rows per class and the imbalance ratio, from preprocessing. */
  @Property({ type: 'jsonb', nullable: true })
  classDistribution: ClassDistribution | null = null;

  /** Whether the test metrics met the job's `deploy` rule; null without one. */
  @Property({ type: 'boolean', nullable: true })
  deploymentReady: boolean | null = null;

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

  /** When the train stage began: the pace of training (progress over time since) estimates the completion. */
  @Property({ type: 'datetime', nullable: true })
  trainStartedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  completedAt: Date | null = null;
}

/** The best completed job per experiment and metric is one probe of the metric's own index (ExperimentStore.bestJobs). */
export function bestMetricIndex(metric: string, direction: 'max' | 'min'): { name: string; expression: string } {
  const name = `training_jobs_best_${metric.toLowerCase()}_index`;
  const order = direction === 'max' ? 'desc nulls last' : 'asc nulls last';
  return {
    name,
    expression: `create index "${name}" on "training_jobs" ("tenant_id", "experiment", ((metrics->>'${metric}')::float8) ${order}, "created_at") where status = 'completed'`,
  };
}

for (const [metric, direction] of Object.entries(METRIC_DIRECTIONS)) Index(bestMetricIndex(metric, direction))(TrainingJob);
