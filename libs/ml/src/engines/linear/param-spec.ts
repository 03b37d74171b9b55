import { MlError } from '../../errors';
import type { ParamIssue } from '../model-family';
import type { DescribedSpec } from '../param-docs';
import { overDefaults } from '../param-defaults';

/** One hyperparameter's accepted shape and its text for users; `min`/`max` bound numbers and every element of an int list. */
export type ParamSpec = DescribedSpec;

/** Checks camelCase params against a spec table: unknown keys, wrong types, out-of-range values. */
export function validateBySpec(family: string, specs: Record<string, ParamSpec>, params: Record<string, unknown>): ParamIssue[] {
  const issues: ParamIssue[] = [];
  for (const [field, value] of Object.entries(params)) {
    const spec = specs[field];
    if (!spec) {
      issues.push({ field, message: `unknown ${family} parameter; expected one of ${Object.keys(specs).join(', ')}` });
      continue;
    }
    if (value === undefined || value === null) continue;
    const problem = checkValue(spec, value);
    if (problem) issues.push({ field, message: problem });
  }
  return issues;
}

/** Validates, then overlays the given params on the defaults; throws INVALID_HYPERPARAMETERS naming each bad field. */
export function resolveBySpec<T extends object>(
  family: string,
  specs: Record<string, ParamSpec>,
  defaults: T,
  params: Record<string, unknown>,
): T {
  const issues = validateBySpec(family, specs, params);
  if (issues.length) {
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    throw new MlError('INVALID_HYPERPARAMETERS', `Invalid ${family} parameters: ${summary}`, { issues });
  }
  return overDefaults(defaults as Record<string, unknown>, params) as T;
}

function checkValue(spec: ParamSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'choice':
      return typeof value === 'string' && spec.choices.includes(value) ? null : `must be one of ${spec.choices.join(', ')}`;
    case 'intList': {
      if (!Array.isArray(value)) return 'must be an array of integers';
      if (value.length > spec.maxLength) return `must have at most ${spec.maxLength} entries`;
      const bad = value.findIndex((v) => typeof v !== 'number' || !Number.isInteger(v) || v < spec.min || v > spec.max);
      return bad === -1 ? null : `entry ${bad} must be an integer in [${spec.min}, ${spec.max}]`;
    }
    default:
      return checkNumber(spec, value);
  }
}

function checkNumber(spec: Extract<ParamSpec, { kind: 'int' | 'number' }>, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a finite number';
  if (spec.kind === 'int' && !Number.isInteger(value)) return 'must be an integer';
  const lowOk = spec.minInclusive === false ? value > spec.min : value >= spec.min;
  const highOk = spec.maxInclusive === false ? value < spec.max : value <= spec.max;
  if (lowOk && highOk) return null;
  const low = spec.minInclusive === false ? `(${spec.min}` : `[${spec.min}`;
  const high = spec.max === Number.MAX_VALUE ? '∞)' : spec.maxInclusive === false ? `${spec.max})` : `${spec.max}]`;
  return `must be in ${low}, ${high}`;
}
