/**
 * Response shapes from the REST contract (API.md), for the routes whose OpenAPI responses are not typed yet.
 * When the generated schema types a response, use `components['schemas'][…]` from ./schema instead and drop the
 * matching type here.
 */

import type { components } from './schema';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type Stage = 'load_features' | 'preprocess' | 'train' | 'evaluate' | 'register';
export type Role = 'admin' | 'trainer' | 'viewer';

export interface DatasetColumn {
  name: string;
  type: 'number' | 'integer' | 'boolean' | 'string' | 'datetime';
  nullCount: number;
}

export interface Dataset {
  id: string;
  name: string;
  version: number;
  description: string | null;
  format: string;
  rows: number;
  columns: DatasetColumn[];
  sha256: string;
  sizeBytes: number;
  createdBy?: string;
  createdAt: string;
}

export interface DatasetPreview {
  columns: DatasetColumn[];
  rows: Record<string, unknown>[];
}

/** `GET /v1/datasets/{id}/profile` (additive): typed by the generated schema. */
export type DatasetProfile = components['schemas']['DatasetProfile'];

export type Metrics = Record<string, unknown>;

export interface TrainingJob {
  id: string;
  name: string;
  experiment: string;
  status: JobStatus;
  stage: Stage | null;
  progress: number;
  priority: string;
  model: { type: string; params?: Record<string, unknown> };
  datasetId: string;
  target: string;
  task: 'classification' | 'regression' | null;
  features?: string[] | null;
  exclude?: string[] | null;
  validation?: Record<string, unknown>;
  preprocessing?: Record<string, unknown>;
  device: string | null;
  metrics: Metrics | null;
  validationMetrics: Metrics | null;
  cvMetrics: Metrics | null;
  /** The same metrics on (a sample of) the training split. */
  trainMetrics?: Metrics | null;
  classDistribution?: { counts: Record<string, number>; imbalanceRatio: number; oversampledTrainCounts?: Record<string, number> } | null;
  deploymentReady?: boolean | null;
  /** Running jobs that have begun training: when they should finish at the pace so far. */
  estimatedCompletionAt?: string | null;
  mode?: 'full' | 'incremental' | 'transfer' | 'ensemble_update';
  from?: { model: string; version?: number; alias?: string } | null;
  error: { code: string; message: string } | null;
  modelVersion: { name: string; version: number } | null;
  retryOf: string | null;
  studyId: string | null;
  scheduleId: string | null;
  workflowId: string;
  /** The run's page in the Temporal UI, when the deployment sets TRAINYARD_TEMPORAL_UI_URL. */
  temporalUrl?: string | null;
  tags: Record<string, string>;
  notes: string | null;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  durationSeconds: number | null;
}

export interface JobLogLine {
  ts: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  stage: string | null;
  message: string;
  data: Record<string, unknown> | null;
}

export interface MetricSeries {
  series: Record<string, { step: number; value: number | null; ts: string }[]>;
}

export interface ModelSummary {
  name: string;
  task: string;
  modelType?: string;
  latestVersion: number;
  versionCount?: number;
  aliases: Record<string, number>;
  updatedAt: string;
}

export interface SignatureField {
  name: string;
  type: string;
}

export interface ModelVersion {
  name: string;
  version: number;
  jobId: string;
  modelType: string;
  task: string;
  metrics: Metrics | null;
  signature: { inputs: SignatureField[]; outputs: SignatureField[] };
  featureImportance: { feature: string; importance: number }[] | null;
  lineage: Record<string, unknown> & { datasetId?: string; datasetSha256?: string; params?: Record<string, unknown> };
  sizeBytes: number;
  sha256: string;
  aliases: string[];
  createdAt: string;
}

export interface AliasMove {
  name: string;
  alias: string;
  version: number;
  previousVersion: number | null;
}

export interface AliasEvent {
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  actor: string;
  reason: string | null;
  at: string;
}

export interface Prediction {
  label?: unknown;
  probabilities?: Record<string, number>;
  value?: number;
}

export interface PredictResponse {
  model: { name: string; version: number };
  predictions: Prediction[];
}

export interface Trial {
  number: number;
  status: 'running' | 'completed' | 'pruned' | 'failed';
  params: Record<string, unknown>;
  value: number | null;
  intermediate: { step: number; value: number | null }[];
  jobId: string;
}

export interface Study {
  id: string;
  name: string;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  objective: { metric: string; direction: 'maximize' | 'minimize' };
  searchSpace: Record<string, { type: string; low?: number; high?: number; log?: boolean; choices?: unknown[] }>;
  sampler: string;
  pruner: string;
  trials: number;
  parallelism: number;
  trialsCompleted: number;
  trialsPruned: number;
  trialsFailed: number;
  trialsRunning?: number;
  bestTrial: { number: number; params: Record<string, unknown>; value: number; jobId: string } | null;
  workflowId?: string;
  createdAt: string;
  completedAt: string | null;
}

export interface Schedule {
  id: string;
  name: string;
  cron: string | null;
  intervalSeconds: number | null;
  timezone: string;
  job: Record<string, unknown>;
  overlap: string;
  promote: { alias: string; metric: string; minImprovement?: number } | null;
  paused: boolean;
  createdBy: string;
  createdAt: string;
  nextRuns?: string[];
  recentJobs?: TrainingJob[];
}

export interface Experiment {
  name: string;
  [key: string]: unknown;
}

export interface Stats {
  queued: number;
  running: number;
  completedLast24h: number;
  failedLast24h: number;
  successRate: number | null;
  workers: { taskQueue: string; device: string; slots: number; busy: number }[];
}

/** Events of `GET /v1/training-jobs/{id}/logs` with `Accept: text/event-stream`. */
export type JobStreamEvent =
  | { event: 'log'; id: string | null; data: JobLogLine }
  | { event: 'progress'; id: string | null; data: { progress: number; stage: Stage | null; status: JobStatus } }
  | { event: 'metric'; id: string | null; data: { name: string; step: number; value: number | null } }
  | { event: 'end'; id: string | null; data: { status: JobStatus | 'deleted'; error: { code: string; message: string } | null } };

/** Events of `GET /v1/studies/{id}/events`. */
export type StudyStreamEvent =
  | { event: 'trial'; id: string | null; data: Omit<Trial, 'intermediate'> }
  | { event: 'intermediate'; id: string | null; data: { number: number; name: string; step: number; value: number | null } }
  | {
      event: 'progress';
      id: string | null;
      data: { status: Study['status']; progress: number; trials: number; trialsCompleted: number; trialsPruned: number; trialsFailed: number; trialsRunning: number; best: { number: number; value: number } | null };
    }
  | { event: 'end'; id: string | null; data: { status: Study['status'] | 'deleted'; bestTrial: Study['bestTrial'] } };
