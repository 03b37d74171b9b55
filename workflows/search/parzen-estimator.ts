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
 * Bandwidths after Bergstra et al. (2011), in the order of `values` (points on the parameter's axis): each kernel is
 * as wide as the larger gap to its neighbouring observations, clipped to [range / min(100, m + 1), range]. Two
 * departures from hyperopt, both so the search can settle: the prior's centre is not a neighbour (it would widen
 * whichever good kernel sits next to the middle of the range), and m grows with every observation of the parameter,
 * good and bad (3·√total, tuned on the quality bench), rather than with this estimator's few good ones only.
 */
export function kernelBandwidths(domain: NumericDomain, values: readonly number[], observedTotal: number): number[] {
  const range = domain.hi - domain.lo;
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const minSigma = range / Math.min(100, Math.max(values.length, 3 * Math.sqrt(observedTotal)) + 1);
  const sigmas = new Array<number>(values.length);
  order.forEach((at, k) => {
    const left = k > 0 ? values[at] - values[order[k - 1]] : 0;
    const right = k < order.length - 1 ? values[order[k + 1]] - values[at] : 0;
    sigmas[at] = Math.min(range, Math.max(minSigma, left, right, values.length === 1 ? range / 2 : 0));
  });
  return sigmas;
}

/** One kernel per observation (bandwidths from kernelBandwidths) plus a prior kernel spanning the whole range. */
export function fitNumericParzen(domain: NumericDomain, observations: readonly WeightedObservation<number>[], priorWeight: number, observedTotal: number): NumericParzen {
  const values = observations.map((o) => o.value);
  const mus = [...values, (domain.lo + domain.hi) / 2];
  const sigmas = [...kernelBandwidths(domain, values, observedTotal), domain.hi - domain.lo];
  const weights = [...observations.map((o) => o.weight), priorWeight];
  const total = weights.reduce((s, w) => s + w, 0);
  return {
    domain,
    mus,
    sigmas,
    logWeights: weights.map((w) => Math.log(w / total)),
    logMasses: mus.map((mu, i) => Math.log(normMass((domain.lo - mu) / sigmas[i], (domain.hi - mu) / sigmas[i]))),
  };
}

export function pickKernel(logWeights: readonly number[], rng: Rng): number {
  let r = rng.uniform();
  for (let i = 0; i < logWeights.length; i++) {
    r -= Math.exp(logWeights[i]);
    if (r < 0) return i;
  }
  return logWeights.length - 1;
}

/** A legal parameter value drawn from the mixture. */
export function sampleNumericParzen(p: NumericParzen, rng: Rng): number {
  return sampleNumericKernel(p, pickKernel(p.logWeights, rng), rng);
}

/** A legal value drawn from kernel k alone. */
export function sampleNumericKernel(p: Omit<NumericParzen, 'logWeights'>, k: number, rng: Rng): number {
  const { lo, hi } = p.domain;
  // Kernel centres lie inside [lo, hi] and sigmas never exceed the range, so a third or more of each kernel's mass
  // is inside and rejection ends quickly; the clip is a guard, not a path taken in practice.
  let u = p.mus[k] + p.sigmas[k] * rng.normal();
  for (let tries = 0; tries < 100 && (u < lo || u > hi); tries++) u = p.mus[k] + p.sigmas[k] * rng.normal();
  return p.domain.fromAxis(Math.min(hi, Math.max(lo, u)));
}

/** log density of a legal value (log probability of its bin for discrete parameters). */
export function logPdfNumericParzen(p: NumericParzen, x: number): number {
  const terms = numericKernelLogPdfs(p, x);
  for (let i = 0; i < terms.length; i++) terms[i] += p.logWeights[i];
  return logSumExp(terms);
}

/** Each kernel's own (unweighted, truncation-renormalised) log density at a legal value. */
export function numericKernelLogPdfs(p: Omit<NumericParzen, 'logWeights'>, x: number): number[] {
  const terms = new Array<number>(p.mus.length);
  if (p.domain.discrete) {
    const [a, b] = p.domain.bin(x);
    for (let i = 0; i < p.mus.length; i++) {
      const s = p.sigmas[i];
      terms[i] = Math.log(normMass((a - p.mus[i]) / s, (b - p.mus[i]) / s)) - p.logMasses[i];
    }
  } else {
    const u = p.domain.toAxis(x);
    for (let i = 0; i < p.mus.length; i++) {
      const s = p.sigmas[i];
      terms[i] = normLogPdf((u - p.mus[i]) / s) - Math.log(s) - p.logMasses[i];
    }
  }
  return terms;
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
