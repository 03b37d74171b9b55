import { BOOSTING_ROUNDS_DOC, describeTable, EARLY_STOPPING_ROUNDS_DOC, NTHREAD_DOC, NTHREAD_UNSET } from '../param-docs';
import type { ParamDoc, ParamText } from '../param-docs';
import { MlError } from '../../errors';
import { overDefaults } from '../param-defaults';

export interface ParamIssue {
  field: string;
  message: string;
}

interface NumberSpec extends ParamText {
  kind: 'int' | 'number';
  /** XGBoost's name; null for options this binding consumes itself. */
  native: string | null;
  min: number;
  max: number;
  /** Whether min itself is allowed. */
  minInclusive?: boolean;
}

interface ChoiceSpec extends ParamText {
  kind: 'choice';
  native: string;
  choices: readonly string[];
}

type ParamSpec = NumberSpec | ChoiceSpec;

/** The API's camelCase hyperparameters; each `doc` is what docs/model-parameters.md says about it. */
const PARAMS: Record<string, ParamSpec> = {
  numRounds: { kind: 'int', native: null, min: 1, max: 100_000, doc: BOOSTING_ROUNDS_DOC },
  earlyStoppingRounds: { kind: 'int', native: null, min: 1, max: 100_000, doc: EARLY_STOPPING_ROUNDS_DOC, unset: 'off' },
  maxDepth: { kind: 'int', native: 'max_depth', min: 0, max: 64, doc: 'Deepest a tree may grow; 0 means no limit (not with `treeMethod` `exact`).' },
  learningRate: { kind: 'number', native: 'eta', min: 0, max: 1, minInclusive: false, doc: "Shrinks each new tree's contribution (XGBoost's `eta`); lower values need more rounds and overfit less." },
  subsample: { kind: 'number', native: 'subsample', min: 0, max: 1, minInclusive: false, doc: 'Share of the training rows sampled for each round.', unset: '`1` (every row)' },
  colsampleBytree: { kind: 'number', native: 'colsample_bytree', min: 0, max: 1, minInclusive: false, doc: 'Share of the columns sampled for each tree.', unset: '`1` (every column)' },
  minChildWeight: {
    kind: 'number',
    native: 'min_child_weight',
    min: 0,
    max: Number.MAX_VALUE,
    doc: 'Smallest sum of row weights (hessian) a leaf may hold; larger values make more conservative trees.',
    unset: "`1` (XGBoost's default)",
  },
  regLambda: { kind: 'number', native: 'lambda', min: 0, max: Number.MAX_VALUE, doc: 'L2 penalty on leaf weights.', unset: "`1` (XGBoost's default)" },
  regAlpha: { kind: 'number', native: 'alpha', min: 0, max: Number.MAX_VALUE, doc: 'L1 penalty on leaf weights.', unset: "`0` (XGBoost's default)" },
  gamma: { kind: 'number', native: 'gamma', min: 0, max: Number.MAX_VALUE, doc: 'Smallest loss reduction a split must bring to be made.', unset: "`0` (XGBoost's default)" },
  maxBin: { kind: 'int', native: 'max_bin', min: 2, max: 65_536, doc: 'Histogram bins per feature for `hist` and `approx`; more bins find finer splits, more slowly.', unset: "`256` (XGBoost's default)" },
  scalePosWeight: {
    kind: 'number',
    native: 'scale_pos_weight',
    min: 0,
    max: Number.MAX_VALUE,
    minInclusive: false,
    doc: 'Binary classification: weight of the positive class against the negative one (negatives ÷ positives balances them).',
    unset: "`1` (XGBoost's default)",
  },
  seed: { kind: 'int', native: 'seed', min: 0, max: 2 ** 31 - 1, doc: 'Seed of the row and column sampling.', unset: "`0` (XGBoost's default)" },
  nthread: { kind: 'int', native: 'nthread', min: 0, max: 4096, doc: NTHREAD_DOC, unset: NTHREAD_UNSET },
  treeMethod: {
    kind: 'choice',
    native: 'tree_method',
    choices: ['hist', 'approx', 'exact'],
    doc: 'How splits are found: `hist` bins each feature once (fastest); `approx` recomputes its bins every round; `exact` tries every value (slow on large data, CPU only).',
  },
};

export const XGBOOST_PARAM_NAMES = Object.keys(PARAMS);

const DEFAULTS: Record<string, number | string> = { numRounds: 100, maxDepth: 6, learningRate: 0.3, treeMethod: 'hist' };

/** XGBoost's own defaults (3.x) for the parameters this binding leaves to the library. */
const LIBRARY_DEFAULTS: Record<string, number | null> = {
  earlyStoppingRounds: null,
  subsample: 1,
  colsampleBytree: 1,
  minChildWeight: 1,
  regLambda: 1,
  regAlpha: 0,
  gamma: 0,
  maxBin: 256,
  scalePosWeight: 1,
  seed: 0,
};

/** Every parameter as the booster trains with it (camelCase): the given ones over the defaults. */
export function effectiveXGBoostParams(params: Record<string, unknown>): Record<string, unknown> {
  return overDefaults({ ...LIBRARY_DEFAULTS, ...DEFAULTS }, params);
}

/** Checks API-level (camelCase) hyperparameters: unknown keys, wrong types, out-of-range values. */
export function validateXGBoostParams(params: Record<string, unknown>): ParamIssue[] {
  const issues: ParamIssue[] = [];
  for (const [field, value] of Object.entries(params)) {
    const spec = PARAMS[field];
    if (!spec) {
      issues.push({ field, message: `unknown XGBoost parameter; expected one of ${XGBOOST_PARAM_NAMES.join(', ')}` });
      continue;
    }
    if (value === undefined || value === null) continue;
    const problem = spec.kind === 'choice' ? checkChoice(spec, value) : checkNumber(spec, value);
    if (problem) issues.push({ field, message: problem });
  }
  return issues;
}

function checkChoice(spec: ChoiceSpec, value: unknown): string | null {
  if (typeof value !== 'string' || !spec.choices.includes(value)) return `must be one of ${spec.choices.join(', ')}`;
  return null;
}

function checkNumber(spec: NumberSpec, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
  if (spec.kind === 'int' && !Number.isInteger(value)) return 'must be an integer';
  const lowOk = spec.minInclusive === false ? value > spec.min : value >= spec.min;
  if (!lowOk || value > spec.max) {
    const low = spec.minInclusive === false ? `(${spec.min}` : `[${spec.min}`;
    const high = spec.max === Number.MAX_VALUE ? '∞)' : `${spec.max}]`;
    return `must be in ${low}, ${high}`;
  }
  return null;
}

export interface ResolvedXGBoostParams {
  numRounds: number;
  earlyStoppingRounds: number | null;
  /** XGBoost-named parameters, values already stringified for XGBoosterSetParam. */
  native: [string, string][];
}

/** Validates, applies defaults and renames to XGBoost's parameter names; throws INVALID_HYPERPARAMETERS. */
export function resolveXGBoostParams(params: Record<string, unknown>): ResolvedXGBoostParams {
  const issues = validateXGBoostParams(params);
  if (issues.length) {
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    throw new MlError('INVALID_HYPERPARAMETERS', `Invalid XGBoost parameters: ${summary}`, { issues });
  }
  const merged = overDefaults(DEFAULTS, params);
  const native: [string, string][] = [];
  for (const [field, value] of Object.entries(merged)) {
    const name = PARAMS[field]!.native;
    if (name) native.push([name, String(value)]);
  }
  const early = merged.earlyStoppingRounds;
  return { numRounds: merged.numRounds as number, earlyStoppingRounds: typeof early === 'number' ? early : null, native };
}

/** This family's rows of docs/model-parameters.md. */
export function xgboostParamDocs(): ParamDoc[] {
  return describeTable(PARAMS, DEFAULTS);
}
