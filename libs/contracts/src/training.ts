import type { Device, DeviceRequest } from './task-queues';
import type { JobError } from './failures';
import type { PromotionComparison } from './pipeline';
import type { TrialLink } from './study';

export const MODEL_TYPES = ['xgboost', 'lightgbm', 'random_forest', 'linear', 'mlp', 'lstm', 'ensemble'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

export const TASKS = ['classification', 'regression'] as const;
export type Task = (typeof TASKS)[number];

export const VALIDATION_METHODS = ['holdout', 'kfold', 'time_series', 'time_series_cv'] as const;
export type ValidationMethod = (typeof VALIDATION_METHODS)[number];

/** Methods that order rows by `timeColumn`: the newest rows are the test split. */
export function isTimeOrdered(method: ValidationMethod): boolean {
  return method === 'time_series' || method === 'time_series_cv';
}

/** Methods whose folds run as parallel `crossValidateFold` activities over the training split. */
export function isCrossValidated(method: ValidationMethod): boolean {
  return method === 'kfold' || method === 'time_series_cv';
}

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Temporal priority keys: lower runs first. */
export const PRIORITY_KEYS: Record<Priority, number> = { urgent: 1, high: 2, normal: 3, low: 4 };

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export const STAGES = ['load_features', 'preprocess', 'train', 'evaluate', 'register'] as const;
export type Stage = (typeof STAGES)[number];

/** A job's progress at the start of each stage; training fills the span up to the next one. */
export const STAGE_PROGRESS: Record<Stage, number> = {
  load_features: 0.02,
  preprocess: 0.08,
  train: 0.12,
  evaluate: 0.88,
  register: 0.96,
};

export interface ValidationSpec {
  method: ValidationMethod;
  testSize: number;
  validationSize: number;
  stratify: boolean;
  folds: number;
  timeColumn: string | null;
  seed: number;
  /**
   * Forecasting: each row learns the target `horizon` rows later in time order (in its series when `seriesColumn` is
   * set); rows without a target that far ahead are left out. Absent or null on jobs that predict the row's own target.
   */
  horizon?: number | null;
  /** The column naming each row's series, for `horizon`: rows are shifted within their own series. */
  seriesColumn?: string | null;
}

/**
 * How a training run builds on a registered model. full: from scratch (the default); incremental: more boosting
 * rounds on top of the parent's trees, on new data; transfer: a network starts from the parent's weights;
 * ensemble_update: new members trained on new data join the parent ensemble.
 */
export const TRAINING_MODES = ['full', 'incremental', 'transfer', 'ensemble_update'] as const;
export type TrainingMode = (typeof TRAINING_MODES)[number];

/** The registered model a non-full run starts from: a version number, or an alias resolved when the job preprocesses. */
export interface ParentModelSpec {
  model: string;
  version?: number;
  alias?: string;
}

/** The training period: rows whose `validation.timeColumn` value is within [from, to] (ISO strings or numbers). */
export interface DataRangeSpec {
  from: string | number | null;
  to: string | number | null;
}

/** When a finished job counts as ready to deploy: its test `metric` at least `min` and/or at most `max`. */
export interface DeployRule {
  metric: string;
  min?: number | null;
  max?: number | null;
}

/** Lag and rolling-mean features of numeric or boolean feature columns, over rows ordered by `validation.timeColumn`. */
export interface TimeFeaturesSpec {
  columns: string[];
  /** Each lag k adds `column.lagk`: the value k rows earlier. */
  lags: number[];
  /** Each window w adds `column.rollingMeanw`: the mean of this row and the w - 1 before it. */
  rollingMeans: number[];
}

/** Keep the raw columns whose share of a quick first fit's total gain ranks highest. */
export interface FeatureSelectionSpec {
  topK: number | null;
  minImportance: number | null;
}

export interface PreprocessingSpec {
  timeFeatures: TimeFeaturesSpec | null;
  featureSelection: FeatureSelectionSpec | null;
  /**
   * Classification only: per-row sample weights from the training split's class counts (`balanced`) or a weight
   * per label (labels not named weigh 1). Absent on jobs submitted before it existed.
   */
  classWeights?: 'balanced' | Record<string, number> | null;
  /** Classification only: repeat random rows of the smaller classes in the training split until each matches the largest. */
  oversample?: boolean;
}

export const defaultPreprocessing: PreprocessingSpec = { timeFeatures: null, featureSelection: null };

export interface ModelSpec {
  type: ModelType;
  params: Record<string, unknown>;
}

export interface ExecutionSpec {
  device: DeviceRequest;
  requireGpu: boolean;
  /**
   * `fused` runs every step in one activity, handing data over in memory; `staged` runs one activity per step with
   * the data between them in the object store, so steps may run on different machines (preprocessing on a CPU
   * worker, training on a GPU one) and a crash resumes at the step it hit. `auto` (the default) stages jobs on the
   * GPU and datasets larger than TRAINYARD_FUSE_MAX_BYTES.
   */
  pipeline?: 'auto' | 'fused' | 'staged';
}

/** A training request after defaults are applied; what the workflow receives. */
export interface TrainingSpec {
  name: string;
  experiment: string;
  datasetId: string;
  target: string;
  task: Task | null;
  features: string[] | null;
  exclude: string[];
  model: ModelSpec;
  validation: ValidationSpec;
  /** Absent on jobs submitted before preprocessing options existed. */
  preprocessing?: PreprocessingSpec;
  priority: Priority;
  execution: ExecutionSpec;
  /** Absent on jobs submitted before training modes existed: full. */
  mode?: TrainingMode;
  /** The parent model of a non-full mode. */
  from?: ParentModelSpec | null;
  /** transfer: how many of the parent network's first layers keep their weights. */
  freezeLayers?: number;
  dataRange?: DataRangeSpec | null;
  deploy?: DeployRule | null;
  /** A short name and a description the registered version carries (absent on jobs submitted before them). */
  label?: string | null;
  description?: string | null;
}

export interface TrainingWorkflowInput {
  jobId: string;
  tenantId: string;
  spec: TrainingSpec;
  /** Prefix for task queue names, from the deployment's config. */
  queuePrefix: string;
  /** Set when the job is a trial of a study. */
  trial?: TrialLink;
  /** Set by a promoting schedule: evaluation scores the alias holder on the same test rows. */
  promotion?: PromotionCheck;
  /** Set when a schedule started the job. */
  scheduleId?: string;
}

/** What a promoting schedule asks evaluation to compare the new model against. */
export interface PromotionCheck {
  alias: string;
  metric: string;
}

export interface ModelVersionRef {
  name: string;
  version: number;
}

export interface TrainingWorkflowResult {
  status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;
  modelVersion: ModelVersionRef | null;
  error: JobError | null;
  /** Set for a promoting schedule's job: the new model and the alias holder scored on the same rows. */
  comparison?: PromotionComparison;
}

/** What the workflow's status query returns. */
export interface TrainingStatus {
  jobId: string;
  stage: Stage | null;
  device: Device | null;
  state: 'waiting' | 'running' | 'completed' | 'failed' | 'cancelled';
  waitingFor: string | null;
}

export const defaultValidation: ValidationSpec = {
  method: 'holdout',
  testSize: 0.2,
  validationSize: 0.1,
  stratify: true,
  folds: 5,
  timeColumn: null,
  seed: 42,
};
