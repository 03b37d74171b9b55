import { MlError } from '../../errors';
import { overDefaults } from '../param-defaults';

export interface ParamIssue {
  field: string;
  message: string;
}

interface NumberSpec {
  kind: 'int' | 'number';
  /** XGBoost's name; null for options this binding consumes itself. */
  native: string | null;
  min: number;
  max: number;
  /** Whether min itself is allowed. */
  minInclusive?: boolean;
}

interface ChoiceSpec {
  kind: 'choice';
  native: string;
  choices: readonly string[];
}

type ParamSpec = NumberSpec | ChoiceSpec;

const PARAMS: Record<string, ParamSpec> = {
  numRounds: { kind: 'int', native: null, min: 1, max: 100_000 },
  earlyStoppingRounds: { kind: 'int', native: null, min: 1, max: 100_000 },
  maxDepth: { kind: 'int', native: 'max_depth', min: 0, max: 64 },
  learningRate: { kind: 'number', native: 'eta', min: 0, max: 1, minInclusive: false },
  subsample: { kind: 'number', native: 'subsample', min: 0, max: 1, minInclusive: false },
  colsampleBytree: { kind: 'number', native: 'colsample_bytree', min: 0, max: 1, minInclusive: false },
  minChildWeight: { kind: 'number', native: 'min_child_weight', min: 0, max: Number.MAX_VALUE },
  regLambda: { kind: 'number', native: 'lambda', min: 0, max: Number.MAX_VALUE },
  regAlpha: { kind: 'number', native: 'alpha', min: 0, max: Number.MAX_VALUE },
  gamma: { kind: 'number', native: 'gamma', min: 0, max: Number.MAX_VALUE },
  maxBin: { kind: 'int', native: 'max_bin', min: 2, max: 65_536 },
  scalePosWeight: { kind: 'number', native: 'scale_pos_weight', min: 0, max: Number.MAX_VALUE, minInclusive: false },
  seed: { kind: 'int', native: 'seed', min: 0, max: 2 ** 31 - 1 },
  nthread: { kind: 'int', native: 'nthread', min: 0, max: 4096 },
  treeMethod: { kind: 'choice', native: 'tree_method', choices: ['hist', 'approx', 'exact'] },
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
  const merged: Record<string, unknown> = { ...DEFAULTS };
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) merged[k] = v;
  const native: [string, string][] = [];
  for (const [field, value] of Object.entries(merged)) {
    const name = PARAMS[field]!.native;
    if (name) native.push([name, String(value)]);
  }
  const early = merged.earlyStoppingRounds;
  return { numRounds: merged.numRounds as number, earlyStoppingRounds: typeof early === 'number' ? early : null, native };
}
