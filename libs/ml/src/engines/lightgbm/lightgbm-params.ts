import type { ParamIssue } from '../model-family';
import { overDefaults } from '../param-defaults';
import { INT_MAX, resolveAgainst, throwOnIssues, validateAgainst } from './param-table';
import type { ParamTable, ResolvedParams } from './param-table';

const UNBOUNDED = Number.MAX_VALUE;

/** Gradient boosting (boosting=gbdt) hyperparameters in the API's camelCase. */
const PARAMS: ParamTable = {
  numRounds: { kind: 'int', native: null, min: 1, max: 100_000 },
  earlyStoppingRounds: { kind: 'int', native: null, min: 1, max: 100_000 },
  learningRate: { kind: 'number', native: 'learning_rate', min: 0, max: 1, minInclusive: false },
  numLeaves: { kind: 'int', native: 'num_leaves', min: 2, max: 131_072 },
  maxDepth: { kind: 'int', native: 'max_depth', min: -1, max: 64 },
  minDataInLeaf: { kind: 'int', native: 'min_data_in_leaf', min: 0, max: INT_MAX },
  featureFraction: { kind: 'number', native: 'feature_fraction', min: 0, max: 1, minInclusive: false },
  baggingFraction: { kind: 'number', native: 'bagging_fraction', min: 0, max: 1, minInclusive: false },
  baggingFreq: { kind: 'int', native: 'bagging_freq', min: 0, max: 100_000 },
  lambdaL1: { kind: 'number', native: 'lambda_l1', min: 0, max: UNBOUNDED },
  lambdaL2: { kind: 'number', native: 'lambda_l2', min: 0, max: UNBOUNDED },
  minGainToSplit: { kind: 'number', native: 'min_gain_to_split', min: 0, max: UNBOUNDED },
  maxBin: { kind: 'int', native: 'max_bin', min: 2, max: 65_535 },
  seed: { kind: 'int', native: 'seed', min: 0, max: INT_MAX },
  nthread: { kind: 'int', native: 'num_threads', min: 0, max: 4096 },
};

export const LIGHTGBM_PARAM_NAMES = Object.keys(PARAMS);

const DEFAULTS: Record<string, number> = {
  numRounds: 100,
  learningRate: 0.1,
  numLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 20,
  maxBin: 255,
  seed: 0,
};

/** LightGBM's own defaults (4.x) for the parameters this binding leaves to the library. */
const LIBRARY_DEFAULTS: Record<string, number | null> = {
  earlyStoppingRounds: null,
  featureFraction: 1,
  baggingFraction: 1,
  baggingFreq: 0,
  lambdaL1: 0,
  lambdaL2: 0,
  minGainToSplit: 0,
};

/** Every parameter as gradient boosting trains with it (camelCase): the given ones over the defaults. */
export function effectiveLightGBMParams(params: Record<string, unknown>): Record<string, unknown> {
  return overDefaults({ ...LIBRARY_DEFAULTS, ...DEFAULTS }, params);
}

/** Checks API-level (camelCase) LightGBM hyperparameters. */
export function validateLightGBMParams(params: Record<string, unknown>): ParamIssue[] {
  return validateAgainst(PARAMS, params, 'LightGBM');
}

/** Validates, applies defaults and renames to LightGBM's parameter names; throws INVALID_HYPERPARAMETERS. */
export function resolveLightGBMParams(params: Record<string, unknown>): ResolvedParams {
  throwOnIssues(validateLightGBMParams(params), 'LightGBM');
  const resolved = resolveAgainst(PARAMS, DEFAULTS, params, 'numRounds');
  return { ...resolved, native: [['boosting', 'gbdt'], ...resolved.native] };
}
