/** Objective value at x; writes the gradient into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** Converged once max |gradient| is at most this. */
  tolerance: number;
  /** Pairs of (step, gradient change) kept for the inverse-Hessian estimate. */
  memory?: number;
  /** Called after each accepted step with the 1-based iteration; returning true stops. */
  onIteration?: (iteration: number, x: Float64Array, value: number) => boolean;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
  stopped: boolean;
}

const ARMIJO = 1e-4;
const MAX_BACKTRACKS = 50;
/** Relative decrease below which further steps are lost in float64 round-off. */
const STALL = 1e-15;

/** Limited-memory BFGS with a backtracking Armijo line search; deterministic, for smooth convex objectives. */
export function minimizeLbfgs(objective: Objective, x0: Float64Array, opts: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  const memory = opts.memory ?? 10;
  const x = Float64Array.from(x0);
  const grad = new Float64Array(n);
  let value = objective(x, grad);
  const history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  const direction = new Float64Array(n);
  const trial = new Float64Array(n);
  const trialGrad = new Float64Array(n);
  const alpha = new Float64Array(memory);

  if (maxAbs(grad) <= opts.tolerance) return { x, value, iterations: 0, converged: true, stopped: false };
  for (let iteration = 1; iteration <= opts.maxIterations; iteration++) {
    searchDirection(grad, history, direction, alpha);
    let slope = dot(grad, direction);
    if (!(slope < 0)) {
      // The curvature estimate went bad (round-off): fall back to steepest descent.
      history.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -grad[i]!;
      slope = dot(grad, direction);
    }
    let step = history.length === 0 ? Math.min(1, 1 / maxAbs(grad)) : 1;
    let trialValue = Number.NaN;
    let accepted = false;
    for (let k = 0; k < MAX_BACKTRACKS; k++) {
      for (let i = 0; i < n; i++) trial[i] = x[i]! + step * direction[i]!;
      trialValue = objective(trial, trialGrad);
      if (Number.isFinite(trialValue) && trialValue <= value + ARMIJO * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) return { x, value, iterations: iteration - 1, converged: true, stopped: false };

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = trial[i]! - x[i]!;
      y[i] = trialGrad[i]! - grad[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      history.push({ s, y, rho: 1 / sy });
      if (history.length > memory) history.shift();
    }
    const decrease = value - trialValue;
    x.set(trial);
    grad.set(trialGrad);
    value = trialValue;

    if (opts.onIteration?.(iteration, x, value)) return { x, value, iterations: iteration, converged: false, stopped: true };
    if (maxAbs(grad) <= opts.tolerance || decrease <= STALL * Math.max(1, Math.abs(value))) {
      return { x, value, iterations: iteration, converged: true, stopped: false };
    }
  }
  return { x, value, iterations: opts.maxIterations, converged: false, stopped: false };
}

/** Two-loop recursion: direction = -H·grad with H scaled by the latest pair's curvature. */
function searchDirection(
  grad: Float64Array,
  history: { s: Float64Array; y: Float64Array; rho: number }[],
  out: Float64Array,
  alpha: Float64Array,
): void {
  out.set(grad);
  for (let k = history.length - 1; k >= 0; k--) {
    const h = history[k]!;
    alpha[k] = h.rho * dot(h.s, out);
    axpy(-alpha[k]!, h.y, out);
  }
  const last = history[history.length - 1];
  const gamma = last ? dot(last.s, last.y) / dot(last.y, last.y) : 1;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * gamma;
  for (let k = 0; k < history.length; k++) {
    const h = history[k]!;
    const beta = h.rho * dot(h.y, out);
    axpy(alpha[k]! - beta, h.s, out);
  }
  for (let i = 0; i < out.length; i++) out[i] = -out[i]!;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + a * x[i]!;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
