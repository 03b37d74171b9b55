import type { ParamIssue } from '../model-family';
import { overDefaults } from '../param-defaults';
import { INT_MAX, resolveAgainst, throwOnIssues, validateAgainst } from './param-table';
import type { ParamTable, ResolvedParams } from './param-table';

/** Random forest (LightGBM boosting=rf) hyperparameters in the API's camelCase. */
const PARAMS: ParamTable = {
  numTrees: { kind: 'int', native: null, min: 1, max: 100_000 },
  earlyStoppingRounds: { kind: 'int', native: null, min: 1, max: 100_000 },
  numLeaves: { kind: 'int', native: 'num_leaves', min: 2, max: 131_072 },
  maxDepth: { kind: 'int', native: 'max_depth', min: -1, max: 64 },
  minDataInLeaf: { kind: 'int', native: 'min_data_in_leaf', min: 0, max: INT_MAX },
  featureFraction: { kind: 'number', native: 'feature_fraction', min: 0, max: 1, minInclusive: false },
  baggingFraction: { kind: 'number', native: 'bagging_fraction', min: 0, max: 1, minInclusive: false },
  baggingFreq: { kind: 'int', native: 'bagging_freq', min: 0, max: 100_000 },
  lambdaL1: { kind: 'number', native: 'lambda_l1', min: 0, max: Number.MAX_VALUE },
  lambdaL2: { kind: 'number', native: 'lambda_l2', min: 0, max: Number.MAX_VALUE },
  minGainToSplit: { kind: 'number', native: 'min_gain_to_split', min: 0, max: Number.MAX_VALUE },
  maxBin: { kind: 'int', native: 'max_bin', min: 2, max: 65_535 },
  seed: { kind: 'int', native: 'seed', min: 0, max: INT_MAX },
  nthread: { kind: 'int', native: 'num_threads', min: 0, max: 4096 },
};

export const RANDOM_FOREST_PARAM_NAMES = Object.keys(PARAMS);

/** Bootstrap-sized bags every tree and a fixed share of columns per tree, like a classic forest. */
const DEFAULTS: Record<string, number> = {
  numTrees: 200,
  numLeaves: 31,
  maxDepth: -1,
  minDataInLeaf: 20,
  featureFraction: 0.6,
  baggingFraction: 0.632,
  baggingFreq: 1,
  maxBin: 255,
  seed: 0,
};

/** Every parameter as the forest trains with it (camelCase): the given ones over the defaults, LightGBM's included. */
export function effectiveRandomForestParams(params: Record<string, unknown>): Record<string, unknown> {
  return overDefaults({ earlyStoppingRounds: null, lambdaL1: 0, lambdaL2: 0, minGainToSplit: 0, ...DEFAULTS }, params);
}

/** Checks API-level (camelCase) random forest hyperparameters, including that the trees get some randomness. */
export function validateRandomForestParams(params: Record<string, unknown>): ParamIssue[] {
  const issues = validateAgainst(PARAMS, params, 'random forest');
  if (issues.length) return issues;
  const pick = (field: string) => (typeof params[field] === 'number' ? (params[field] as number) : DEFAULTS[field]!);
  const bags = pick('baggingFreq') > 0 && pick('baggingFraction') < 1;
  if (!bags && pick('featureFraction') >= 1) {
    // LightGBM's rf mode refuses identical trees: each needs a row bag or a column sample.
    issues.push({ field: 'baggingFraction', message: 'random forest needs baggingFraction < 1 with baggingFreq > 0, or featureFraction < 1' });
  }
  return issues;
}

export function resolveRandomForestParams(params: Record<string, unknown>): ResolvedParams {
  throwOnIssues(validateRandomForestParams(params), 'random forest');
  const resolved = resolveAgainst(PARAMS, DEFAULTS, params, 'numTrees');
  return { ...resolved, native: [['boosting', 'rf'], ...resolved.native] };
}
