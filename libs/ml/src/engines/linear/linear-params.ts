import type { ParamIssue } from '../model-family';
import { resolveBySpec, validateBySpec } from './param-spec';
import type { ParamSpec } from './param-spec';

export interface LinearParams {
  /** L2 penalty λ on the coefficients (never the intercept): the objective is Σ loss + λ/2·‖w‖². */
  l2: number;
  maxIterations: number;
  /** L-BFGS stops when the largest gradient component of the mean objective falls below this. */
  tolerance: number;
  fitIntercept: boolean;
}

const SPECS: Record<string, ParamSpec> = {
  l2: { kind: 'number', min: 0, max: Number.MAX_VALUE },
  maxIterations: { kind: 'int', min: 1, max: 100_000 },
  tolerance: { kind: 'number', min: 0, max: 1, minInclusive: false },
  fitIntercept: { kind: 'boolean' },
};

export const LINEAR_PARAM_NAMES = Object.keys(SPECS);

const DEFAULTS: LinearParams = { l2: 1, maxIterations: 100, tolerance: 1e-6, fitIntercept: true };

export function validateLinearParams(params: Record<string, unknown>): ParamIssue[] {
  return validateBySpec('linear', SPECS, params);
}

/** Throws INVALID_HYPERPARAMETERS naming each bad field. */
export function resolveLinearParams(params: Record<string, unknown>): LinearParams {
  return resolveBySpec('linear', SPECS, DEFAULTS, params);
}
