import type { StoredObject } from './stored-object';
import type { Device } from './task-queues';
import type { JobError } from './failures';
import type { StudyObjectiveSpec, TrialLink } from './study';
import type { JobStatus, ModelVersionRef, PromotionCheck, Task, TrainingSpec } from './training';

/** Every pipeline activity takes the job's identity and returns plain data; data lives in the object store. */
export interface StepInput {
  jobId: string;
  tenantId: string;
  spec: TrainingSpec;
  device: Device;
  /** Set when the job is a study trial: training reports its validation loss to the study as it goes. */
  trial?: TrialLink;
  /** Set by a schedule that promotes: evaluation also scores the alias's current holder on the same test rows. */
  promotion?: PromotionCheck;
}

/** How a job's steps run: all in one activity (small data), or one activity each with their data in the store. */
export const PIPELINE_MODES = ['fused', 'staged'] as const;
export type PipelineMode = (typeof PIPELINE_MODES)[number];

export interface ColumnSummary {
  name: string;
  type: 'number' | 'integer' | 'boolean' | 'string' | 'datetime';
  nullCount: number;
  /** Distinct present values, exact up to 1000; null above (or unknown); absent on datasets uploaded before it was counted. */
  distinct?: number | null;
}

export interface LoadFeaturesResult {
  /** The dataset file, as the store holds it. */
  dataset: StoredObject;
  format: 'csv' | 'parquet';
  rows: number;
  columns: ColumnSummary[];
  datasetSha256: string;
}

/** How a classification target's rows fall into its classes. */
export interface ClassDistribution {
  /** Rows per class label over every row with a target, in class order. */
  counts: Record<string, number>;
  /** Rows of the largest class over rows of the smallest (1 when balanced). */
  imbalanceRatio: number;
  /** Training rows per class label after random oversampling, when it ran. */
  oversampledTrainCounts?: Record<string, number>;
}

export interface PreprocessResult {
  /** The prepared matrices, plan, frame rows and parity sample, as one bundle. */
  prepared: StoredObject;
  task: Task;
  featureNames: string[];
  classLabels: string[] | null;
  trainRows: number;
  validationRows: number;
  testRows: number;
  /** Set when preprocessing.featureSelection chose the raw columns the model uses. */
  featureSelection?: FeatureSelectionOutcome;
  /** Classification: rows per class and the imbalance ratio. */
  classDistribution?: ClassDistribution;
  /** A non-full mode's parent, resolved (an alias to its version) when the data was prepared with its plan. */
  parent?: ModelVersionRef;
}

export interface FeatureSelectionOutcome {
  kept: string[];
  dropped: string[];
  /** Every candidate raw column with its share of the quick fit's total gain, highest first. */
  ranking: { column: string; importance: number }[];
}

export interface TrainResult {
  /** The trained engine model. */
  model: StoredObject;
  rounds: number;
  /** The library that did the training, e.g. "xgboost"; its version goes with it into lineage. */
  engine: string;
  engineVersion: string;
  featureImportance: { feature: string; importance: number }[];
  /** The params the engine trained with, when they are not the job's own (an ensemble_update's include the parent's members). */
  params?: Record<string, unknown>;
  /** The params as trained: defaults resolved, the thread count injected (absent from results of older workers). */
  effectiveParams?: Record<string, unknown>;
}

export interface EvaluateResult {
  /** The ONNX model with its preprocessing, kept for as long as a model version uses it. */
  onnx: StoredObject;
  /** The preprocessing plan beside it (serving turns JSON records into raw inputs with it). */
  plan: StoredObject;
  /** The engine's own model, kept so later runs can build on it (incremental, transfer, ensemble_update). */
  engineModel?: StoredObject;
  metrics: Record<string, unknown>;
  validationMetrics: Record<string, unknown> | null;
  parityMaxAbsDiff: number;
  /** How many test rows the ONNX model was checked on against the engine. */
  parityRows: number;
  /** Set when asked (a promoting schedule): the alias holder's score on the same test rows. */
  comparison?: PromotionComparison;
}

export interface PromotionComparison {
  alias: string;
  metric: string;
  candidate: number;
  /** The version the alias pointed at when this job was evaluated, and its score; null when the alias was unset. */
  incumbentVersion: number | null;
  incumbent: number | null;
}

export interface RegisterInput extends StepInput {
  load: LoadFeaturesResult;
  prepared: PreprocessResult;
  trained: TrainResult;
  evaluated: EvaluateResult;
}

export interface FinalizeJobInput {
  jobId: string;
  status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;
  error: JobError | null;
  modelVersion: ModelVersionRef | null;
}

export interface ResolveDeviceInput {
  jobId: string;
  device: 'cpu' | 'gpu' | 'auto';
  requireGpu: boolean;
  queuePrefix: string;
  /** The job's choice (absent on jobs submitted before it existed: auto). */
  pipeline?: PipelineMode | 'auto';
}

export interface ResolveDeviceResult {
  device: Device;
  /** Whether a live worker advertises the chosen queue right now. */
  available: boolean;
  reason: string;
  /** Absent in histories recorded before pipelines could be staged: those ran step by step. */
  pipeline?: PipelineMode;
}

/** Trees take the raw encoding; linear models and networks imputed, standardised inputs. */
export type InputScaling = 'raw' | 'scaled';

/** What a study prepares once for all its trials: the dataset it read and the prepared bundles they share. */
export interface StudyData {
  load: LoadFeaturesResult;
  /** The bundle for the study's own model type. */
  prepared: PreprocessResult;
  device: Device;
  /** One bundle per input scaling the searched model types need (when the search chooses the model type). */
  variants?: Partial<Record<InputScaling, PreprocessResult>>;
}

/** One trial of a study: a training of the study's job with the trial's params, on the study's shared data. */
export interface TrialInput extends StepInput {
  studyId: string;
  trial: TrialLink;
  objective: StudyObjectiveSpec;
  prepared: StoredObject;
  /**
   * The value the trial must beat for its model to be kept: the k-th best when it started. The k-th best only gets
   * better, so a trial that does not beat it cannot end among the best k, and its model is not stored. Absent: kept.
   */
  modelBar?: number;
}

/** What a trial's activity returns: its value, and its model when it may still be registered (see modelBar). */
export interface TrialResult {
  value: number;
  trained: TrialOutcome['trained'] | null;
}

export interface TrialOutcome {
  /** The objective metric on the validation rows (test rows when there are none). */
  value: number;
  /** The trained model, kept in the study's objects until the study registers its best trials; and its engine. */
  trained: Omit<TrainResult, 'rounds'>;
}
