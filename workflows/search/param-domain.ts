import type { Rng } from './prng';
import type { NumericSpec, ParamSpec, ParamValue } from './search-space';

/**
 * A numeric parameter seen from the samplers: values map to an internal axis `u` (log for log params) on which
 * kernels live. Discrete parameters own the bin [left(x), right(x)] around each value; `lo`/`hi` are the outer
 * edges of the first and last bins, so every value gets an equal share of a uniform draw.
 */
export interface NumericDomain {
  lo: number;
  hi: number;
  discrete: boolean;
  toAxis(x: number): number;
  /** The nearest legal value for an axis point. */
  fromAxis(u: number): number;
  /** Axis edges of the bin owned by value x (discrete only). */
  bin(x: number): [number, number];
}

/** Rounds away float noise such as 0.30000000000000004 without moving a value off its step grid. */
const tidy = (x: number): number => Number(x.toPrecision(12));

const clip = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export function stepOf(spec: NumericSpec): number | undefined {
  return spec.step ?? (spec.type === 'int' ? 1 : undefined);
}

export function numericDomain(spec: NumericSpec): NumericDomain {
  const { low, high } = spec;
  const step = stepOf(spec);
  if (spec.log) {
    const half = step === undefined ? 0 : 0.5;
    const round = (x: number): number => (step === undefined ? x : Math.round(x));
    return {
      lo: Math.log(low - half),
      hi: Math.log(high + half),
      discrete: step !== undefined,
      toAxis: Math.log,
      fromAxis: (u) => clip(round(Math.exp(u)), low, high),
      bin: (x) => [Math.log(x - half), Math.log(x + half)],
    };
  }
  if (step === undefined) {
    return { lo: low, hi: high, discrete: false, toAxis: (x) => x, fromAxis: (u) => clip(u, low, high), bin: (x) => [x, x] };
  }
  const count = Math.round((high - low) / step);
  return {
    lo: low - step / 2,
    hi: high + step / 2,
    discrete: true,
    toAxis: (x) => x,
    fromAxis: (u) => tidy(low + clip(Math.round((u - low) / step), 0, count) * step),
    bin: (x) => [x - step / 2, x + step / 2],
  };
}

/** One value drawn uniformly (on the log axis for log params; each step value equally likely). */
export function sampleUniform(spec: ParamSpec, rng: Rng): ParamValue {
  if (spec.type === 'categorical') return spec.choices[rng.int(spec.choices.length)];
  const d = numericDomain(spec);
  return d.fromAxis(d.lo + rng.uniform() * (d.hi - d.lo));
}

/**
 * The values a grid search tries: every choice, every step value when a step is set, else `points` values spread
 * evenly (on the log axis for log params), rounded to integers for ints and deduplicated.
 */
export function gridValues(spec: ParamSpec, points: number): ParamValue[] {
  if (spec.type === 'categorical') return [...spec.choices];
  const { low, high } = spec;
  const step = spec.step;
  if (step !== undefined) {
    const count = Math.round((high - low) / step);
    return Array.from({ length: count + 1 }, (_, k) => tidy(low + k * step));
  }
  if (spec.type === 'int' && high - low + 1 <= points) return Array.from({ length: high - low + 1 }, (_, k) => low + k);
  const [a, b] = spec.log ? [Math.log(low), Math.log(high)] : [low, high];
  const values: number[] = [];
  for (let k = 0; k < points; k++) {
    const u = points === 1 ? (a + b) / 2 : a + ((b - a) * k) / (points - 1);
    const x = k === 0 ? low : k === points - 1 ? high : clip(spec.log ? Math.exp(u) : u, low, high);
    const v = spec.type === 'int' ? Math.round(x) : tidy(x);
    if (values[values.length - 1] !== v) values.push(v);
  }
  return values;
}
