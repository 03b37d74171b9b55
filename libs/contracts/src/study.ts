export const SAMPLERS = ['random', 'grid', 'tpe'] as const;
export type SamplerKind = (typeof SAMPLERS)[number];
export const PRUNERS = ['none', 'median', 'asha'] as const;
export type PrunerKind = (typeof PRUNERS)[number];

export interface StudyObjectiveSpec {
  metric: string;
  direction: 'maximize' | 'minimize';
}

/** Which of a study's trials become model versions when it ends. */
export interface StudyRegisterSpec {
  /** The best `topK` completed trials are exported, checked and registered (default 1; 0 registers none). */
  topK: number;
  /** Pointed at the best trial's version when set. */
  alias: string | null;
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
  /** Absent on studies created before it existed: the best trial is registered. */
  register?: StudyRegisterSpec;
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

/** Set on a training workflow that is a study trial, so its training step can report intermediate values. */
export interface TrialLink {
  studyWorkflowId: string;
  number: number;
  /**
   * The study's objective, given when the study has a pruner: trials then report it per round where their engine
   * can compute it, else their loss. Without it a trial reports nothing to its study (its rounds are in its job's
   * metric series, where the API reads intermediate values).
   */
  objective?: { metric: string; direction: 'minimize' | 'maximize' };
}

/** The same report as an update: its answer says at once whether the pruner stopped the trial. */
export const TRIAL_PROGRESS_UPDATE = 'reportTrialProgress';

export interface TrialProgress {
  number: number;
  step: number;
  value: number;
  /** How `value` improves: the objective's direction when it is the objective metric; minimize (a loss) when absent. */
  direction?: 'minimize' | 'maximize';
}
