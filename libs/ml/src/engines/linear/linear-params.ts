import type { ParamIssue } from '../model-family';
import { describeTable } from '../param-docs';
import type { ParamDoc } from '../param-docs';
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

/** Each `doc` goes into docs/model-parameters.md. */
const SPECS: Record<string, ParamSpec> = {
  l2: {
    kind: 'number',
    min: 0,
    max: Number.MAX_VALUE,
    doc: 'L2 penalty λ on the coefficients (never the intercept), added as λ/2·‖w‖² to the loss summed over rows: higher values shrink the coefficients more, and more rows weaken it.',
  },
  maxIterations: { kind: 'int', min: 1, max: 100_000, doc: 'Classification: most L-BFGS iterations. Regression is solved in closed form and ignores it.' },
  tolerance: {
    kind: 'number',
    min: 0,
    max: 1,
    minInclusive: false,
    doc: "Classification: L-BFGS stops once the largest component of the mean objective's gradient is below this.",
  },
  fitIntercept: { kind: 'boolean', doc: 'Fit an intercept (unpenalised) beside the coefficients.' },
};

export const LINEAR_PARAM_NAMES = Object.keys(SPECS);

const DEFAULTS: LinearParams = { l2: 1, maxIterations: 100, tolerance: 1e-6, fitIntercept: true };

/** This family's rows of docs/model-parameters.md. */
export function linearParamDocs(): ParamDoc[] {
  return describeTable(SPECS, DEFAULTS);
}

export function validateLinearParams(params: Record<string, unknown>): ParamIssue[] {
  return validateBySpec('linear', SPECS, params);
}

/** Throws INVALID_HYPERPARAMETERS naming each bad field. */
export function resolveLinearParams(params: Record<string, unknown>): LinearParams {
  return resolveBySpec('linear', SPECS, DEFAULTS, params);
}
