import { logSumExp, normMass } from './normal-math';
import { numericDomain } from './param-domain';
import { kernelBandwidths, numericKernelLogPdfs, pickKernel, sampleNumericKernel, type NumericParzen } from './parzen-estimator';
import type { Rng } from './prng';
import type { CategoricalChoice, ParamValues, SearchSpace } from './search-space';

/**
 * Scale of the joint bandwidth cap, as a share of the range at one observation: 0.15·n^(−1/(d+4)). Chosen on the
 * quality bench among 0.1–0.3 (0.15 and 0.2 were equal on held-out seeds).
 */
const JOINT_WIDTH = 0.15;

/** One parameter of a joint estimator: its value distribution under each kernel. */
type JointDimension =
  | { name: string; kind: 'numeric'; kernels: Omit<NumericParzen, 'logWeights'> }
  | { name: string; kind: 'categorical'; choices: CategoricalChoice[]; logProbs: number[][] };

/**
 * A Parzen estimator over several parameters at once (the multivariate TPE of Falkner et al., 2018): one kernel per
 * observed trial that is a product over the parameters, plus a prior kernel, so good combinations stay together
 * where the univariate estimator would mix the coordinates of different good trials.
 */
export interface JointParzen {
  dimensions: JointDimension[];
  logWeights: number[];
}

export interface WeightedTrial {
  params: ParamValues;
  weight: number;
}

/**
 * Fits kernels to trials that all hold a value of every parameter in `names`. Numeric bandwidths follow each
 * parameter's own spread (kernelBandwidths), capped at JOINT_WIDTH·n^(−1/(d+4)) of the range for n trials in d
 * parameters (unless `capWidth` is false); a categorical kernel puts weight 1 on its trial's choice and
 * priorWeight / (kernels) on every choice; the prior kernel spans every range and weighs choices evenly.
 */
export function fitJointParzen(space: SearchSpace, names: readonly string[], trials: readonly WeightedTrial[], priorWeight: number, observedTotal: number, capWidth = true): JointParzen {
  const dimensions = names.map((name): JointDimension => {
    const spec = space[name];
    if (spec.type === 'categorical') {
      const n = spec.choices.length;
      const uniform = spec.choices.map(() => -Math.log(n));
      // Each kernel keeps most of its mass on its own trial's choice: the prior's share is split over all kernels.
      const smoothing = priorWeight / (trials.length + 1);
      const logProbs = trials.map((t) => spec.choices.map((c) => Math.log(((c === t.params[name] ? 1 : 0) + smoothing) / (1 + n * smoothing))));
      return { name, kind: 'categorical', choices: spec.choices, logProbs: [...logProbs, uniform] };
    }
    const domain = numericDomain(spec);
    const values = trials.map((t) => domain.toAxis(t.params[name] as number));
    const mus = [...values, (domain.lo + domain.hi) / 2];
    // No wider than a Scott-style joint width, so kernels in several dimensions stay local enough to refine a good region.
    const cap = !capWidth ? Infinity : JOINT_WIDTH * Math.max(trials.length, 1) ** (-1 / (names.length + 4)) * (domain.hi - domain.lo);
    const own = kernelBandwidths(domain, values, observedTotal).map((sigma) => Math.min(sigma, cap));
    const sigmas = [...own, domain.hi - domain.lo];
    const logMasses = mus.map((mu, i) => Math.log(normMassOf(domain.lo, domain.hi, mu, sigmas[i])));
    return { name, kind: 'numeric', kernels: { domain, mus, sigmas, logMasses } };
  });
  const weights = [...trials.map((t) => t.weight), priorWeight];
  const total = weights.reduce((s, w) => s + w, 0);
  return { dimensions, logWeights: weights.map((w) => Math.log(w / total)) };
}

/** Legal values of every parameter, all drawn from one kernel. */
export function sampleJointParzen(p: JointParzen, rng: Rng): ParamValues {
  const k = pickKernel(p.logWeights, rng);
  const values: ParamValues = {};
  for (const d of p.dimensions) {
    values[d.name] = d.kind === 'numeric' ? sampleNumericKernel(d.kernels, k, rng) : d.choices[pickKernel(d.logProbs[k], rng)];
  }
  return values;
}

/** log density of a point holding legal values of every parameter. */
export function logPdfJointParzen(p: JointParzen, values: ParamValues): number {
  const terms = [...p.logWeights];
  for (const d of p.dimensions) {
    if (d.kind === 'numeric') {
      const perKernel = numericKernelLogPdfs(d.kernels, values[d.name] as number);
      for (let k = 0; k < terms.length; k++) terms[k] += perKernel[k];
    } else {
      const c = d.choices.indexOf(values[d.name]);
      for (let k = 0; k < terms.length; k++) terms[k] += d.logProbs[k][c];
    }
  }
  return logSumExp(terms);
}

function normMassOf(lo: number, hi: number, mu: number, sigma: number): number {
  return normMass((lo - mu) / sigma, (hi - mu) / sigma);
}
