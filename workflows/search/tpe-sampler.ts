import { fitJointParzen, logPdfJointParzen, sampleJointParzen, type WeightedTrial } from './joint-parzen';
import { numericDomain } from './param-domain';
import {
  fitCategoricalParzen,
  fitNumericParzen,
  logPdfNumericParzen,
  sampleCategorical,
  sampleNumericParzen,
  type WeightedObservation,
} from './parzen-estimator';
import type { Rng } from './prng';
import { sampleRandom } from './random-sampler';
import type { Direction, TrialRecord } from './sampler.types';
import { isActive, sampleOrder, type CategoricalChoice, type ParamSpec, type ParamValues, type SearchSpace } from './search-space';

export interface TpeSettings {
  direction: Direction;
  nStartupTrials: number;
  nEiCandidates: number;
  gamma: number | undefined;
  priorWeight: number;
  considerPruned: boolean;
  /** Model the unconditional parameters jointly (multivariate TPE) rather than one at a time. */
  multivariate: boolean;
  /** Cap joint kernel widths (see fitJointParzen). */
  capJointWidth: boolean;
}

/** How many of n completed trials count as good: ceil(gamma·n), or by default min(ceil(0.1·n), 25). */
export function goodCount(n: number, gamma: number | undefined): number {
  return gamma === undefined ? Math.min(Math.ceil(0.1 * n), 25) : Math.ceil(gamma * n);
}

/**
 * Older observations fade linearly once there are more than 25 (Bergstra et al.'s forgetting): the newest 25 weigh
 * 1, the rest ramp up from 1/n, so the model follows where the search has moved.
 */
export function recencyWeights(n: number): number[] {
  const flat = 25;
  if (n <= flat) return new Array<number>(n).fill(1);
  const ramp = n - flat;
  return Array.from({ length: n }, (_, i) => (i >= ramp ? 1 : 1 / n + ((1 - 1 / n) * i) / ramp));
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Completed trials split into good (best first) and bad; pruned trials join the bad ones when asked to. */
function splitTrials(history: readonly TrialRecord[], s: TpeSettings): { good: TrialRecord[]; bad: TrialRecord[] } {
  const sign = s.direction === 'minimize' ? 1 : -1;
  const completed = history.filter((t) => t.status === 'completed' && isNumber(t.value));
  const ranked = [...completed].sort((a, b) => sign * ((a.value as number) - (b.value as number)) || a.number - b.number);
  const n = Math.max(1, Math.min(ranked.length - 1, goodCount(ranked.length, s.gamma)));
  const pruned = s.considerPruned ? history.filter((t) => t.status === 'pruned') : [];
  return { good: ranked.slice(0, n), bad: [...ranked.slice(n), ...pruned] };
}

/** The trials' values of `name` where it was active, oldest first, weighted by recency. */
function observations<T>(trials: readonly TrialRecord[], name: string, accept: (v: unknown) => v is T): WeightedObservation<T>[] {
  const active = trials.filter((t) => accept(t.params[name])).sort((a, b) => a.number - b.number);
  const weights = recencyWeights(active.length);
  return active.map((t, i) => ({ value: t.params[name] as T, weight: weights[i] }));
}

/** Draws candidates from l(x) and keeps the one with the largest l(x)/g(x). */
function suggestParam(spec: ParamSpec, name: string, good: readonly TrialRecord[], bad: readonly TrialRecord[], s: TpeSettings, rng: Rng): CategoricalChoice {
  if (spec.type === 'categorical') {
    const isChoice = (v: unknown): v is CategoricalChoice => spec.choices.includes(v as CategoricalChoice);
    const l = fitCategoricalParzen(spec.choices, observations(good, name, isChoice), s.priorWeight);
    const g = fitCategoricalParzen(spec.choices, observations(bad, name, isChoice), s.priorWeight);
    let best = -1;
    let bestScore = -Infinity;
    for (let c = 0; c < s.nEiCandidates; c++) {
      const i = sampleCategorical(l, rng);
      const score = Math.log(l[i]) - Math.log(g[i]);
      if (score > bestScore) [best, bestScore] = [i, score];
    }
    return spec.choices[best];
  }
  const domain = numericDomain(spec);
  const onAxis = (obs: WeightedObservation<number>[]) => obs.map((o) => ({ value: domain.toAxis(o.value), weight: o.weight }));
  const below = onAxis(observations(good, name, isNumber));
  const above = onAxis(observations(bad, name, isNumber));
  const l = fitNumericParzen(domain, below, s.priorWeight, below.length + above.length);
  const g = fitNumericParzen(domain, above, s.priorWeight, below.length + above.length);
  let best = NaN;
  let bestScore = -Infinity;
  for (let c = 0; c < s.nEiCandidates; c++) {
    const x = sampleNumericParzen(l, rng);
    const score = logPdfNumericParzen(l, x) - logPdfNumericParzen(g, x);
    if (score > bestScore || Number.isNaN(best)) [best, bestScore] = [x, score];
  }
  return best;
}

/** The trials holding a legal value of every parameter in `names`, oldest first, weighted by recency. */
function jointObservations(space: SearchSpace, names: readonly string[], trials: readonly TrialRecord[]): WeightedTrial[] {
  const legal = (t: TrialRecord) =>
    names.every((n) => {
      const spec = space[n];
      const v = t.params[n];
      return spec.type === 'categorical' ? spec.choices.includes(v as CategoricalChoice) : isNumber(v);
    });
  const usable = trials.filter(legal).sort((a, b) => a.number - b.number);
  const weights = recencyWeights(usable.length);
  return usable.map((t, i) => ({ params: t.params as ParamValues, weight: weights[i] }));
}

/** Draws whole points from l(x) over `names` and keeps the one with the largest l(x)/g(x). */
function suggestJoint(space: SearchSpace, names: readonly string[], good: readonly TrialRecord[], bad: readonly TrialRecord[], s: TpeSettings, rng: Rng): ParamValues {
  const below = jointObservations(space, names, good);
  const above = jointObservations(space, names, bad);
  const l = fitJointParzen(space, names, below, s.priorWeight, below.length + above.length, s.capJointWidth);
  const g = fitJointParzen(space, names, above, s.priorWeight, below.length + above.length, s.capJointWidth);
  let best: ParamValues = {};
  let bestScore = -Infinity;
  for (let c = 0; c < s.nEiCandidates; c++) {
    const x = sampleJointParzen(l, rng);
    const score = logPdfJointParzen(l, x) - logPdfJointParzen(g, x);
    if (score > bestScore || c === 0) [best, bestScore] = [x, score];
  }
  return best;
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al., 2011): split the completed trials at the gamma quantile, fit l(x)
 * to the good and g(x) to the bad, and take the candidate from l(x) that maximises l(x)/g(x). With `multivariate`, the
 * parameters that are always active are modelled jointly (Falkner et al., 2018), which keeps interacting parameters
 * together; conditional parameters are then modelled one at a time, each only from the trials where it was active.
 */
export function sampleTpe(space: SearchSpace, history: readonly TrialRecord[], s: TpeSettings, rng: Rng): ParamValues {
  const completed = history.filter((t) => t.status === 'completed' && isNumber(t.value)).length;
  if (completed < Math.max(2, s.nStartupTrials)) return sampleRandom(space, rng);
  const { good, bad } = splitTrials(history, s);
  const order = sampleOrder(space);
  const unconditional = order.filter((name) => !space[name].condition);
  const params: ParamValues = s.multivariate && unconditional.length > 1 ? suggestJoint(space, unconditional, good, bad, s, rng) : {};
  for (const name of order) {
    const spec = space[name];
    if (!(name in params) && isActive(spec, params)) params[name] = suggestParam(spec, name, good, bad, s, rng);
  }
  return params;
}
