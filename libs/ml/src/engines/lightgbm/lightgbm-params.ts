import type { ParamIssue } from '../model-family';
import { overDefaults } from '../param-defaults';
import { INT_MAX, resolveAgainst, throwOnIssues, validateAgainst } from './param-table';
import type { ParamTable, ResolvedParams } from './param-table';
import { BOOSTING_ROUNDS_DOC, describeTable, EARLY_STOPPING_ROUNDS_DOC, NTHREAD_DOC, NTHREAD_UNSET } from '../param-docs';
import type { ParamDoc } from '../param-docs';

const UNBOUNDED = Number.MAX_VALUE;

/** The tree-shaping parameters LightGBM's gbdt and rf modes share, in the order both tables list them. */
export const TREE_PARAMS: ParamTable = {
  numLeaves: {
    kind: 'int',
    native: 'num_leaves',
    min: 2,
    max: 131_072,
    doc: 'Most leaves a tree may have; LightGBM grows trees leaf by leaf, so this is the main control of their size.',
  },
  maxDepth: { kind: 'int', native: 'max_depth', min: -1, max: 64, doc: 'Deepest a tree may grow; -1 means no limit (`numLeaves` still bounds it).' },
  minDataInLeaf: { kind: 'int', native: 'min_data_in_leaf', min: 0, max: INT_MAX, doc: 'Fewest training rows a leaf may hold; larger values make smoother trees.' },
  featureFraction: { kind: 'number', native: 'feature_fraction', min: 0, max: 1, minInclusive: false, doc: 'Share of the columns each tree is fitted on.', unset: '`1` (every column)' },
  baggingFraction: {
    kind: 'number',
    native: 'bagging_fraction',
    min: 0,
    max: 1,
    minInclusive: false,
    doc: 'Share of the training rows in each bag; takes effect only with `baggingFreq` > 0.',
    unset: '`1` (every row)',
  },
  baggingFreq: { kind: 'int', native: 'bagging_freq', min: 0, max: 100_000, doc: 'Draw a new bag of rows every this many rounds; 0 turns bagging off.', unset: '`0` (no bagging)' },
  lambdaL1: { kind: 'number', native: 'lambda_l1', min: 0, max: UNBOUNDED, doc: 'L1 penalty on leaf values.', unset: '`0`' },
  lambdaL2: { kind: 'number', native: 'lambda_l2', min: 0, max: UNBOUNDED, doc: 'L2 penalty on leaf values.', unset: '`0`' },
  minGainToSplit: { kind: 'number', native: 'min_gain_to_split', min: 0, max: UNBOUNDED, doc: 'Smallest gain a split must bring to be made.', unset: '`0`' },
  maxBin: { kind: 'int', native: 'max_bin', min: 2, max: 65_535, doc: 'Histogram bins per feature; more bins find finer splits, more slowly.' },
  seed: { kind: 'int', native: 'seed', min: 0, max: INT_MAX, doc: "Seed of LightGBM's random choices (bagging, column sampling)." },
  nthread: { kind: 'int', native: 'num_threads', min: 0, max: 4096, doc: NTHREAD_DOC, unset: NTHREAD_UNSET },
};

/** Gradient boosting (boosting=gbdt) hyperparameters in the API's camelCase; each `doc` goes into docs/model-parameters.md. */
const PARAMS: ParamTable = {
  numRounds: { kind: 'int', native: null, min: 1, max: 100_000, doc: BOOSTING_ROUNDS_DOC },
  earlyStoppingRounds: { kind: 'int', native: null, min: 1, max: 100_000, doc: EARLY_STOPPING_ROUNDS_DOC, unset: 'off' },
  learningRate: {
    kind: 'number',
    native: 'learning_rate',
    min: 0,
    max: 1,
    minInclusive: false,
    doc: "Shrinks each new tree's contribution; lower values need more rounds and overfit less.",
  },
  ...TREE_PARAMS,
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

/** This family's rows of docs/model-parameters.md. */
export function lightgbmParamDocs(): ParamDoc[] {
  return describeTable(PARAMS, DEFAULTS);
}
