import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { TrainingJob } from './training-job.entity';
import type { ModelType, StoredObject, Task, TrainingMode } from '@trainyard/contracts';
import { TenantOwned } from '../tenancy/tenant-scope';

export interface ModelSignature {
  /** Raw columns: `type` is the dataset column type, `onnxType` the tensor type the model takes. */
  inputs: { name: string; type: string; onnxType?: string }[];
  outputs: { name: string; type: string }[];
  classLabels?: string[] | null;
}

export interface ModelLineage {
  datasetId: string;
  datasetSha256: string;
  /** What the request named. */
  params: Record<string, unknown>;
  /** The params as trained: defaults resolved, the thread count injected; absent on versions registered before. */
  effectiveParams?: Record<string, unknown>;
  codeVersion: string;
  engine: string;
  engineVersion: string;
  /** The raw columns the model reads; absent on versions registered before it was recorded. */
  inputColumns?: string[];
  /** Set when preprocessing.featureSelection chose them. */
  featureSelection?: { kept: string[]; dropped: string[]; ranking: { column: string; importance: number }[] };
  /** Lag and rolling-mean features, with the column callers order prediction rows by. */
  timeFeatures?: { timeColumn: string; features: string[] };
  /** How the run built on its parent (absent: a full run). */
  mode?: Exclude<TrainingMode, 'full'>;
  /** The version a non-full run started from. */
  parent?: { name: string; version: number };
  /** Forecasting: a prediction is the target `horizon` rows after its record (within its series). */
  forecast?: { horizon: number; timeColumn: string; seriesColumn: string | null };
  /** The training period asked for, on the time column. */
  dataRange?: { timeColumn: string; from: string | number | null; to: string | number | null };
}

@Entity({ tableName: 'model_versions' })
@Unique({ properties: ['tenantId', 'name', 'version'] })
// Latest-version lookups and datasets' lineage checks (DELETE /v1/datasets/{id}).
@Index({ name: 'model_versions_tenant_id_name_version_index', expression: 'create index "model_versions_tenant_id_name_version_index" on "model_versions" ("tenant_id", "name", "version" desc)' })
@Index({ name: 'model_versions_lineage_dataset_index', expression: `create index "model_versions_lineage_dataset_index" on "model_versions" (("lineage"->>'datasetId'))` })
export class ModelVersion extends TenantOwned {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'integer' })
  version!: number;

  /** One model version per job: a retried register step finds the one it made. */
  @ManyToOne(() => TrainingJob, { mapToPk: true, fieldName: 'job_id', unique: true, updateRule: 'no action', deleteRule: 'no action' })
  jobId!: string;

  @Property({ type: 'text' })
  modelType!: ModelType;

  @Property({ type: 'text' })
  task!: Task;

  /** The ONNX file in the store; `sha256` and `sizeBytes` repeat its content's hash and size. */
  @Property({ type: 'jsonb' })
  artifact!: StoredObject;

  /** The preprocessing plan that turns JSON records into the model's raw inputs; null on versions registered before plans were kept. */
  @Property({ type: 'jsonb', nullable: true })
  plan: StoredObject | null = null;

  /** The engine's own model (XGBoost JSON, a network's weights …), which incremental, transfer and ensemble_update runs start from; null on versions registered before it was kept. */
  @Property({ type: 'jsonb', nullable: true })
  engineModel: StoredObject | null = null;

  @Property({ type: 'text' })
  sha256!: string;

  @Property({ type: new BigIntType('number') })
  sizeBytes!: number;

  @Property({ type: 'jsonb' })
  metrics!: Record<string, unknown>;

  @Property({ type: 'jsonb' })
  signature!: ModelSignature;

  @Property({ type: 'jsonb' })
  featureImportance!: { feature: string; importance: number }[];

  @Property({ type: 'jsonb' })
  lineage!: ModelLineage;

  /** A short human name for the version (e.g. "v3.0"), from its job or set later. */
  @Property({ type: 'text', nullable: true })
  label: string | null = null;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
