import type { SamplerKind } from '@trainyard/contracts';
import { enumerateGrid } from './grid-sampler';
import { Rng, seedRng } from './prng';
import { sampleRandom } from './random-sampler';
import type { Sampler, SamplerOptions, SamplerState, TrialRecord } from './sampler.types';
import type { ParamValues, SearchSpace } from './search-space';
import { sampleTpe, type TpeSettings } from './tpe-sampler';

/** The state a sampler starts from for a given seed. */
export function initialSamplerState(seed: number): SamplerState {
  return { rng: seedRng(seed), suggested: 0 };
}

/** Thrown when a carried sampler state is not one this module produced. */
export class InvalidSamplerStateError extends Error {
  constructor() {
    super('sampler state is not { rng: { s: [4 × uint32] }, suggested: number }');
    this.name = 'InvalidSamplerStateError';
  }
}

export function isSamplerState(v: unknown): v is SamplerState {
  if (typeof v !== 'object' || v === null) return false;
  const { rng, suggested } = v as Partial<SamplerState>;
  const words = rng?.s;
  return Number.isInteger(suggested) && Array.isArray(words) && words.length === 4 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) && words.some((w) => w !== 0);
}

/** TPE samples at random until this many trials have completed (Optuna's default). */
export const TPE_STARTUP_TRIALS = 10;

/**
 * A sampler over a validated search space. `suggest` is pure: pass the state it returned last time (or nothing on the
 * first call) and the study's trials so far.
 */
export function createSampler(kind: SamplerKind, space: SearchSpace, options: SamplerOptions): Sampler {
  let grid: ParamValues[] | undefined;
  const tpe: TpeSettings = {
    direction: options.direction,
    nStartupTrials: options.nStartupTrials ?? TPE_STARTUP_TRIALS,
    nEiCandidates: options.nEiCandidates ?? 24,
    gamma: options.gamma,
    priorWeight: options.priorWeight ?? 1,
    considerPruned: options.considerPruned ?? true,
    multivariate: options.multivariate ?? true,
    capJointWidth: options.capJointWidth ?? true,
  };
  const draw = (rng: Rng, history: readonly TrialRecord[], index: number): ParamValues | null => {
    switch (kind) {
      case 'random':
        return sampleRandom(space, rng);
      case 'tpe':
        return sampleTpe(space, history, tpe, rng);
      case 'grid':
        // Enumerated once per sampler: the space cannot change under it, and the order is fixed.
        grid ??= enumerateGrid(space, options.gridPoints ?? 5);
        return index < grid.length ? { ...grid[index] } : null;
    }
  };
  return {
    suggest(state, history) {
      if (state != null && !isSamplerState(state)) throw new InvalidSamplerStateError();
      const from = state ?? initialSamplerState(options.seed);
      const rng = new Rng(from.rng);
      const params = draw(rng, history, from.suggested);
      return { params, state: { rng: rng.state(), suggested: params === null ? from.suggested : from.suggested + 1 } };
    },
  };
}

/** How many points a grid sampler will try over this space. */
export function gridSize(space: SearchSpace, gridPoints = 5): number {
  return enumerateGrid(space, gridPoints).length;
}
