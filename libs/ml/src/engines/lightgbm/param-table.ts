import { MlError } from '../../errors';
import type { ParamIssue } from '../model-family';
import type { ParamText } from '../param-docs';
import { overDefaults } from '../param-defaults';

/** One camelCase hyperparameter: its LightGBM name (null when the training loop consumes it), allowed range and text. */
export interface NumberParam extends ParamText {
  kind: 'int' | 'number';
  native: string | null;
  min: number;
  max: number;
  /** Whether min itself is allowed. */
  minInclusive?: boolean;
}

export type ParamTable = Record<string, NumberParam>;

export interface ResolvedParams {
  numRounds: number;
  earlyStoppingRounds: number | null;
  /** LightGBM-named parameters with values as strings. */
  native: [string, string][];
}

/** Unknown keys, wrong types and out-of-range values, each naming its field. */
export function validateAgainst(table: ParamTable, params: Record<string, unknown>, engine: string): ParamIssue[] {
  const issues: ParamIssue[] = [];
  for (const [field, value] of Object.entries(params)) {
    const spec = table[field];
    if (!spec) {
      issues.push({ field, message: `unknown ${engine} parameter; expected one of ${Object.keys(table).join(', ')}` });
      continue;
    }
    if (value === undefined || value === null) continue;
    const problem = checkNumber(spec, value);
    if (problem) issues.push({ field, message: problem });
  }
  return issues;
}

function checkNumber(spec: NumberParam, value: unknown): string | null {
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

/** Throws INVALID_HYPERPARAMETERS listing every issue. */
export function throwOnIssues(issues: ParamIssue[], engine: string): void {
  if (!issues.length) return;
  const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  throw new MlError('INVALID_HYPERPARAMETERS', `Invalid ${engine} parameters: ${summary}`, { issues });
}

/** Merges defaults under the given params and renames to LightGBM's names; `roundsField` names the round count. */
export function resolveAgainst(
  table: ParamTable,
  defaults: Record<string, number>,
  params: Record<string, unknown>,
  roundsField: string,
): ResolvedParams {
  const merged = overDefaults(defaults, params);
  const native: [string, string][] = [];
  for (const [field, value] of Object.entries(merged)) {
    const name = table[field]!.native;
    if (name) native.push([name, String(value)]);
  }
  const early = merged.earlyStoppingRounds;
  return { numRounds: merged[roundsField] as number, earlyStoppingRounds: typeof early === 'number' ? early : null, native };
}

export const INT_MAX = 2 ** 31 - 1;
