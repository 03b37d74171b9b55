import type { ParamIssue } from '../model-family';
import { overDefaults } from '../param-defaults';
import { describeTable } from '../param-docs';
import type { ParamDoc } from '../param-docs';
import { TREE_PARAMS } from './lightgbm-params';
import { resolveAgainst, throwOnIssues, validateAgainst } from './param-table';
import type { ParamTable, ResolvedParams } from './param-table';

/** Random forest (LightGBM boosting=rf) hyperparameters in the API's camelCase; each `doc` goes into docs/model-parameters.md. */
const PARAMS: ParamTable = {
  numTrees: { kind: 'int', native: null, min: 1, max: 100_000, doc: "Trees in the forest (one per class for more than two classes); the forest's prediction is their average." },
  earlyStoppingRounds: {
    kind: 'int',
    native: null,
    min: 1,
    max: 100_000,
    doc: 'Stop once the validation loss has not improved for this many trees, and keep the forest as it was at its best. Needs a validation split.',
    unset: 'off',
  },
  ...TREE_PARAMS,
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

/** This family's rows of docs/model-parameters.md. */
export function randomForestParamDocs(): ParamDoc[] {
  return describeTable(PARAMS, DEFAULTS);
}
