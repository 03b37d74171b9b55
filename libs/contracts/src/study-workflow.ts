import type { StudyData, TrialOutcome } from './pipeline';
import type { StudyConfig, TrialState } from './study';

/** What a study carries across continue-as-new: everything the sampler and pruner need, and nothing else. */
export interface StudyCarry {
  samplerState: unknown;
  trials: TrialState[];
  nextNumber: number;
  deadlineMs: number | null;
  /** The study's prepared data, made once (absent on studies carried from before it was kept). */
  data?: StudyData;
  /** The trained models of the trials that may still be registered (the best ones so far). */
  models?: Record<number, TrialOutcome['trained']>;
}

export interface StudyWorkflowInput {
  studyId: string;
  tenantId: string;
  queuePrefix: string;
  config: StudyConfig;
  carry?: StudyCarry;
}

