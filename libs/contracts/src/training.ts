import type { Device, DeviceRequest } from './task-queues';
import type { JobError } from './failures';
import type { TrialLink } from './study';

export const MODEL_TYPES = ['xgboost', 'lightgbm', 'random_forest', 'linear', 'mlp', 'lstm', 'ensemble'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

export const TASKS = ['classification', 'regression'] as const;
export type Task = (typeof TASKS)[number];

export const VALIDATION_METHODS = ['holdout', 'kfold', 'time_series'] as const;
export type ValidationMethod = (typeof VALIDATION_METHODS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Temporal priority keys: lower runs first. */
export const PRIORITY_KEYS: Record<Priority, number> = { urgent: 1, high: 2, normal: 3, low: 4 };

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export const STAGES = ['load_features', 'preprocess', 'train', 'evaluate', 'register'] as const;
export type Stage = (typeof STAGES)[number];

export interface ValidationSpec {
  method: ValidationMethod;
  testSize: number;
  validationSize: number;
  stratify: boolean;
  folds: number;
  timeColumn: string | null;
  seed: number;
}

export interface ModelSpec {
  type: ModelType;
  params: Record<string, unknown>;
}

export interface ExecutionSpec {
  device: DeviceRequest;
  requireGpu: boolean;
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
  priority: Priority;
  execution: ExecutionSpec;
}

export interface TrainingWorkflowInput {
  jobId: string;
  tenantId: string;
  spec: TrainingSpec;
  /** Prefix for task queue names, from the deployment's config. */
  queuePrefix: string;
  /** Set when the job is a trial of a study. */
  trial?: TrialLink;
}

export interface ModelVersionRef {
  name: string;
  version: number;
}

export interface TrainingWorkflowResult {
  status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>;
  modelVersion: ModelVersionRef | null;
  error: JobError | null;
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
