import type { Device } from './task-queues';
import type { JobError } from './failures';
import type { TrialLink } from './study';
import type { JobStatus, ModelVersionRef, Stage, Task, TrainingSpec } from './training';

/** Every pipeline activity takes the job's identity and returns plain data; files live under the data dir. */
export interface StepInput {
  jobId: string;
  tenantId: string;
  spec: TrainingSpec;
  device: Device;
  /** Set when the job is a study trial: training reports its validation loss to the study as it goes. */
  trial?: TrialLink;
}

export interface ColumnSummary {
  name: string;
  type: 'number' | 'integer' | 'boolean' | 'string' | 'datetime';
  nullCount: number;
}

export interface LoadFeaturesResult {
  /** Path, relative to the data dir, of the features snapshot for this job. */
  framePath: string;
  rows: number;
  columns: ColumnSummary[];
  datasetSha256: string;
}

export interface PreprocessResult {
  /** Path, relative to the data dir, of the prepared matrices and the preprocessing plan. */
  preparedPath: string;
  task: Task;
  featureNames: string[];
  classLabels: string[] | null;
  trainRows: number;
  validationRows: number;
  testRows: number;
  /** Set when preprocessing.featureSelection chose the raw columns the model uses. */
  featureSelection?: FeatureSelectionOutcome;
}

export interface FeatureSelectionOutcome {
  kept: string[];
  dropped: string[];
  /** Every candidate raw column with its share of the quick fit's total gain, highest first. */
  ranking: { column: string; importance: number }[];
}

export interface TrainResult {
  /** Path, relative to the data dir, of the trained engine model. */
  modelPath: string;
  rounds: number;
  /** The library that did the training, e.g. "xgboost"; its version goes with it into lineage. */
  engine: string;
  engineVersion: string;
  featureImportance: { feature: string; importance: number }[];
}

export interface EvaluateResult {
  onnxPath: string;
  /** The preprocessing plan that turns JSON records into the model's raw inputs. */
  planPath: string;
  sha256: string;
  sizeBytes: number;
  metrics: Record<string, unknown>;
  validationMetrics: Record<string, unknown> | null;
  parityMaxAbsDiff: number;
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

export interface JobEventInput {
  jobId: string;
  stage?: Stage | null;
  status?: JobStatus;
  progress?: number;
  device?: Device;
  log?: { level: 'debug' | 'info' | 'warn' | 'error'; message: string; data?: Record<string, unknown> };
}

export interface ResolveDeviceInput {
  jobId: string;
  device: 'cpu' | 'gpu' | 'auto';
  requireGpu: boolean;
  queuePrefix: string;
}

export interface ResolveDeviceResult {
  device: Device;
  /** Whether a live worker advertises the chosen queue right now. */
  available: boolean;
  reason: string;
}
