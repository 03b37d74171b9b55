import { logSumExp, normLogPdf, normMass } from './normal-math';
import type { NumericDomain } from './param-domain';
import type { Rng } from './prng';

/** An observed value with its weight in the estimator (recent observations may weigh more). */
export interface WeightedObservation<T> {
  value: T;
  weight: number;
}

/**
 * A mixture of Gaussians truncated to [lo, hi] on a parameter's axis: one kernel per observation plus a wide
 * prior kernel at the centre, so the density never vanishes where nothing has been tried yet.
 */
export interface NumericParzen {
  domain: NumericDomain;
  mus: number[];
  sigmas: number[];
  logWeights: number[];
  /** log of each kernel's mass inside [lo, hi], so densities renormalise after truncation. */
  logMasses: number[];
}

/**
 * Bandwidths after Bergstra et al. (2011): each kernel is as wide as the larger gap to its neighbouring observations,
 * clipped to [range / min(100, m + 1), range]. Two departures from hyperopt, both so the search can settle: the
 * prior's centre is not a neighbour (it would widen whichever good kernel sits next to the middle of the range), and
 * m grows with every observation of the parameter, good and bad (3·√total, tuned on the quality bench), rather than
 * with this estimator's few good ones only.
 * The prior kernel spans the whole range.
 */
export function fitNumericParzen(domain: NumericDomain, observations: readonly WeightedObservation<number>[], priorWeight: number, observedTotal: number): NumericParzen {
  const range = domain.hi - domain.lo;
  const sorted = [...observations].sort((a, b) => a.value - b.value);
  const minSigma = range / Math.min(100, Math.max(sorted.length, 3 * Math.sqrt(observedTotal)) + 1);
  const sigmas = sorted.map((o, i) => {
    const left = i > 0 ? o.value - sorted[i - 1].value : 0;
    const right = i < sorted.length - 1 ? sorted[i + 1].value - o.value : 0;
    return Math.min(range, Math.max(minSigma, left, right, sorted.length === 1 ? range / 2 : 0));
  });
  const mus = [...sorted.map((o) => o.value), (domain.lo + domain.hi) / 2];
  sigmas.push(range);
  const weights = [...sorted.map((o) => o.weight), priorWeight];
  const total = weights.reduce((s, w) => s + w, 0);
  return {
    domain,
    mus,
    sigmas,
    logWeights: weights.map((w) => Math.log(w / total)),
    logMasses: mus.map((mu, i) => Math.log(normMass((domain.lo - mu) / sigmas[i], (domain.hi - mu) / sigmas[i]))),
  };
}

function pickKernel(logWeights: readonly number[], rng: Rng): number {
  let r = rng.uniform();
  for (let i = 0; i < logWeights.length; i++) {
    r -= Math.exp(logWeights[i]);
    if (r < 0) return i;
  }
  return logWeights.length - 1;
}

/** A legal parameter value drawn from the mixture. */
export function sampleNumericParzen(p: NumericParzen, rng: Rng): number {
  const k = pickKernel(p.logWeights, rng);
  const { lo, hi } = p.domain;
  // Kernel centres lie inside [lo, hi] and sigmas never exceed the range, so a third or more of each kernel's mass
  // is inside and rejection ends quickly; the clip is a guard, not a path taken in practice.
  let u = p.mus[k] + p.sigmas[k] * rng.normal();
  for (let tries = 0; tries < 100 && (u < lo || u > hi); tries++) u = p.mus[k] + p.sigmas[k] * rng.normal();
  return p.domain.fromAxis(Math.min(hi, Math.max(lo, u)));
}

/** log density of a legal value (log probability of its bin for discrete parameters). */
export function logPdfNumericParzen(p: NumericParzen, x: number): number {
  const terms = new Array<number>(p.mus.length);
  if (p.domain.discrete) {
    const [a, b] = p.domain.bin(x);
    for (let i = 0; i < p.mus.length; i++) {
      const s = p.sigmas[i];
      terms[i] = p.logWeights[i] + Math.log(normMass((a - p.mus[i]) / s, (b - p.mus[i]) / s)) - p.logMasses[i];
    }
  } else {
    const u = p.domain.toAxis(x);
    for (let i = 0; i < p.mus.length; i++) {
      const s = p.sigmas[i];
      terms[i] = p.logWeights[i] + normLogPdf((u - p.mus[i]) / s) - Math.log(s) - p.logMasses[i];
    }
  }
  return logSumExp(terms);
}

/** Choice probabilities from weighted counts, with the prior weight spread evenly so no choice has probability 0. */
export function fitCategoricalParzen<T>(choices: readonly T[], observations: readonly WeightedObservation<T>[], priorWeight: number): number[] {
  const counts = choices.map(() => priorWeight / choices.length);
  for (const o of observations) {
    const i = choices.indexOf(o.value);
    if (i >= 0) counts[i] += o.weight;
  }
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => c / total);
}

export function sampleCategorical(probs: readonly number[], rng: Rng): number {
  return pickKernel(probs.map(Math.log), rng);
}
