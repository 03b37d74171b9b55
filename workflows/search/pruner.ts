import type { IntermediateValue, PrunerKind, TrialState } from '@trainyard/contracts';
import type { Direction } from './sampler.types';

export interface PrunerConfig {
  /** median: complete trials needed before anything is pruned (default 5). */
  nStartupTrials?: number;
  /** median: steps before this one are never pruned (default 0). */
  nWarmupSteps?: number;
  /** asha: the first rung's step, r (default 1). */
  minResource?: number;
  /** asha: η; rungs sit at r·η^k and the top 1/η of a rung go on (default 3). */
  reductionFactor?: number;
  /** asha: skips the first rungs, s in r·η^(k+s) (default 0). */
  minEarlyStoppingRate?: number;
}

export interface PrunedTrial {
  number: number;
  intermediate: readonly IntermediateValue[];
}

export type OtherTrial = PrunedTrial & Pick<TrialState, 'status'>;

/** a is better than b in the study's direction. NaN is never better. */
const better = (a: number, b: number, direction: Direction): boolean => (direction === 'minimize' ? a < b : a > b);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The trial's latest report, or undefined before its first. */
function latest(trial: PrunedTrial): IntermediateValue | undefined {
  let last: IntermediateValue | undefined;
  for (const r of trial.intermediate) if (!last || r.step > last.step) last = r;
  return last;
}

/**
 * Prunes at the latest step s when the trial's best value so far is worse than the median of the complete trials'
 * values at s (each one's latest report at or before s).
 */
function medianPrune(config: PrunerConfig, trial: PrunedTrial, others: readonly OtherTrial[], direction: Direction): boolean {
  const last = latest(trial);
  if (!last || last.step < (config.nWarmupSteps ?? 0)) return false;
  const complete = others.filter((t) => t.status === 'completed' && t.number !== trial.number);
  if (complete.length < (config.nStartupTrials ?? 5)) return false;
  // Each complete trial's latest report at or before s: reports arrive by time, not at shared steps.
  const atStep = complete.flatMap((t) => {
    const upTo = latest({ number: t.number, intermediate: t.intermediate.filter((r) => r.step <= last.step && !Number.isNaN(r.value)) });
    return upTo ? [upTo.value] : [];
  });
  if (atStep.length === 0) return false;
  const sofar = trial.intermediate.filter((r) => r.step <= last.step && !Number.isNaN(r.value)).map((r) => r.value);
  if (sofar.length === 0) return true;
  const best = sofar.reduce((b, v) => (better(v, b, direction) ? v : b));
  return better(median(atStep), best, direction);
}

/** A trial's value at a rung: its first report at or after the rung's step. */
function valueAtRung(trial: PrunedTrial, rungStep: number): number | undefined {
  let first: IntermediateValue | undefined;
  for (const r of trial.intermediate) if (r.step >= rungStep && (!first || r.step < first.step)) first = r;
  return first?.value;
}

/**
 * Asynchronous successive halving (Li et al., 2020): when a trial's latest report is its first at or past a rung
 * r·η^(k+s), it goes on only if it ranks in the top 1/η of every trial that has reached that rung (with fewer than η
 * there, only the best goes on). Between rungs nothing is pruned.
 */
function ashaPrune(config: PrunerConfig, trial: PrunedTrial, others: readonly OtherTrial[], direction: Direction): boolean {
  const r = config.minResource ?? 1;
  const eta = config.reductionFactor ?? 3;
  const s = config.minEarlyStoppingRate ?? 0;
  const last = latest(trial);
  if (!last) return false;
  const previousSteps = trial.intermediate.filter((x) => x.step < last.step).map((x) => x.step);
  const previous = previousSteps.length ? Math.max(...previousSteps) : -Infinity;
  // The highest rung this report crossed; if it crossed none, there is no decision to make.
  let rung = -1;
  for (let k = 0; r * eta ** (k + s) <= last.step; k++) if (r * eta ** (k + s) > previous) rung = r * eta ** (k + s);
  if (rung < 0) return false;
  const mine = last.value;
  if (Number.isNaN(mine)) return true;
  const competitors = others
    .filter((t) => t.number !== trial.number && t.status !== 'failed')
    .map((t) => valueAtRung(t, rung))
    .filter((v): v is number => v !== undefined && !Number.isNaN(v));
  const ranked = [...competitors, mine].sort((a, b) => (direction === 'minimize' ? a - b : b - a));
  const cutoff = ranked[Math.max(0, Math.floor(ranked.length / eta) - 1)];
  return better(cutoff, mine, direction);
}

/** Whether to stop a running trial now, given its reports and the study's other trials. Pure. */
export function shouldPrune(kind: PrunerKind, config: PrunerConfig, trial: PrunedTrial, others: readonly OtherTrial[], direction: Direction): boolean {
  switch (kind) {
    case 'none':
      return false;
    case 'median':
      return medianPrune(config, trial, others, direction);
    case 'asha':
      return ashaPrune(config, trial, others, direction);
  }
}
