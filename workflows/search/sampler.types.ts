import type { TrialState } from '@trainyard/contracts';
import type { RngState } from './prng';
import type { ParamValues } from './search-space';

export type Direction = 'maximize' | 'minimize';

/** One finished or running trial as the samplers see it. */
export type TrialRecord = Pick<TrialState, 'number' | 'params' | 'status' | 'value'>;

/** Everything a sampler carries between suggestions; plain JSON, so it survives continue-as-new. */
export interface SamplerState {
  rng: RngState;
  /** How many suggestions have been made: the grid's cursor, and a check that state is carried forward. */
  suggested: number;
}

export interface SamplerOptions {
  seed: number;
  direction: Direction;
  /** TPE: completed trials sampled at random before the model takes over (default 10). */
  nStartupTrials?: number;
  /** TPE: candidates drawn from l(x) per parameter (default 24). */
  nEiCandidates?: number;
  /** TPE: fraction of trials counted as good; default min(ceil(0.1·n), 25) trials. */
  gamma?: number;
  /** TPE: weight of the prior kernel in each estimator (default 1). */
  priorWeight?: number;
  /** TPE: count pruned trials as bad observations (default true). */
  considerPruned?: boolean;
  /** TPE: model the always-active parameters jointly (default true); false samples each parameter on its own. */
  multivariate?: boolean;
  /** tpe: cap joint kernel widths at 0.15·n^(−1/(d+4)) of the range (default true; false is the behaviour before the cap). */
  capJointWidth?: boolean;
  /** grid: values tried for an int or float parameter without a step (default 5). */
  gridPoints?: number;
}

/** params is null only when a grid sampler has tried every point. */
export interface Suggestion {
  params: ParamValues | null;
  state: SamplerState;
}

export interface Sampler {
  /**
   * Pure: the same state and history always give the same suggestion and next state. `state` is what the last call
   * returned, or null/undefined on the first call (typed unknown because it arrives from carried JSON).
   */
  suggest(state: unknown, history: readonly TrialRecord[]): Suggestion;
}
