export const SAMPLERS = ['random', 'grid', 'tpe'] as const;
export type SamplerKind = (typeof SAMPLERS)[number];
export const PRUNERS = ['none', 'median', 'asha'] as const;
export type PrunerKind = (typeof PRUNERS)[number];

export interface StudyObjectiveSpec {
  metric: string;
  direction: 'maximize' | 'minimize';
}

export interface StudyConfig {
  searchSpace: Record<string, unknown>;
  objective: StudyObjectiveSpec;
  trials: number;
  parallelism: number;
  sampler: SamplerKind;
  pruner: PrunerKind;
  seed: number;
  timeoutSeconds: number | null;
}

export interface IntermediateValue {
  step: number;
  value: number;
}

export interface TrialState {
  number: number;
  params: Record<string, unknown>;
  status: 'running' | 'completed' | 'pruned' | 'failed';
  value: number | null;
  intermediate: IntermediateValue[];
}

/** What a study carries across continue-as-new: everything the sampler and pruner need, and nothing else. */
export interface StudyCarry {
  samplerState: unknown;
  trials: TrialState[];
  nextNumber: number;
  deadlineMs: number | null;
}

export interface StudyWorkflowInput {
  studyId: string;
  tenantId: string;
  queuePrefix: string;
  config: StudyConfig;
  carry?: StudyCarry;
}

/** Set on a training workflow that is a study trial, so its training step can report intermediate values. */
export interface TrialLink {
  studyWorkflowId: string;
  number: number;
}

export const TRIAL_PROGRESS_SIGNAL = 'trialProgress';

export interface TrialProgress {
  number: number;
  step: number;
  value: number;
}
