import { MlError } from '../../errors';
import type { ParamIssue } from '../model-family';
import { formatValue } from '../param-docs';
import type { ParamDoc } from '../param-docs';
import { ENSEMBLE_MEMBER_TYPES, isEnsembleMemberType, memberFamily } from './ensemble-members';
import type { EnsembleMemberType } from './ensemble-members';

export const ENSEMBLE_METHODS = ['average', 'stacking'] as const;
export type EnsembleMethod = (typeof ENSEMBLE_METHODS)[number];

export interface EnsembleMemberSpec {
  type: EnsembleMemberType;
  /** The member family's own camelCase params. */
  params: Record<string, unknown>;
}

export interface EnsembleParams {
  members: EnsembleMemberSpec[];
  /** average: weighted mean of member outputs; stacking: a linear meta-model fitted on validation predictions. */
  method: EnsembleMethod;
  /** average only: one non-negative weight per member (normalised to sum 1); null weighs members equally. */
  weights: number[] | null;
}

export const ENSEMBLE_PARAM_NAMES = ['members', 'method', 'weights'];
export const MIN_MEMBERS = 2;
export const MAX_MEMBERS = 5;

const DEFAULT_MEMBERS: EnsembleMemberSpec[] = [
  { type: 'xgboost', params: {} },
  { type: 'lightgbm', params: {} },
];

/**
 * Checks the ensemble's own fields and each member's params with its family, naming fields like
 * `members[1].params.maxDepth`. For an ensemble_update, `update` says how many members the parent has (null while
 * that is not known): `members` are then the ones to add, and the weights are for the parent's and the added ones.
 */
export function validateEnsembleParams(params: Record<string, unknown>, update?: { parentMembers: number | null }): ParamIssue[] {
  const issues: ParamIssue[] = [];
  for (const field of Object.keys(params)) {
    if (!ENSEMBLE_PARAM_NAMES.includes(field)) {
      issues.push({ field, message: `unknown ensemble parameter; expected one of ${ENSEMBLE_PARAM_NAMES.join(', ')}` });
    }
  }
  const members = params.members ?? null;
  if (update && members === null) issues.push({ field: 'members', message: 'ensemble_update needs the members to add' });
  if (members !== null) issues.push(...validateMembers(members, update ? addedRange(update.parentMembers) : [MIN_MEMBERS, MAX_MEMBERS]));
  const method = params.method ?? null;
  if (method !== null && !(ENSEMBLE_METHODS as readonly unknown[]).includes(method)) {
    issues.push({ field: 'method', message: `must be one of ${ENSEMBLE_METHODS.join(', ')}` });
  }
  const weights = params.weights ?? null;
  if (weights !== null) {
    const own = Array.isArray(members) ? members.length : DEFAULT_MEMBERS.length;
    // An update's weights cover the parent's members too: their count is checked once the parent is known.
    const count = update ? (update.parentMembers === null ? null : update.parentMembers + own) : own;
    const problem = weightsProblem(weights, count, method === 'stacking');
    if (problem) issues.push({ field: 'weights', message: problem });
  }
  return issues;
}

/** How many members an ensemble_update may add: at least one, up to the most an ensemble holds. */
function addedRange(parentMembers: number | null): [number, number] {
  return [1, MAX_MEMBERS - (parentMembers ?? MIN_MEMBERS)];
}

/** Validates and fills defaults; throws INVALID_HYPERPARAMETERS naming each bad field. */
export function resolveEnsembleParams(params: Record<string, unknown>): EnsembleParams {
  const issues = validateEnsembleParams(params);
  if (issues.length) {
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    throw new MlError('INVALID_HYPERPARAMETERS', `Invalid ensemble parameters: ${summary}`, { issues });
  }
  const members = Array.isArray(params.members)
    ? (params.members as { type: EnsembleMemberType; params?: Record<string, unknown> | null }[]).map((m) => ({ type: m.type, params: m.params ?? {} }))
    : DEFAULT_MEMBERS.map((m) => ({ ...m, params: {} }));
  return {
    members,
    method: (params.method as EnsembleMethod | null | undefined) ?? 'average',
    weights: (params.weights as number[] | null | undefined) ?? null,
  };
}

function validateMembers(members: unknown, [min, max]: [number, number]): ParamIssue[] {
  if (!Array.isArray(members) || members.length < min || members.length > max) {
    return [{ field: 'members', message: max < min ? `the parent ensemble already has the most members an ensemble holds (${MAX_MEMBERS})` : `must be an array of ${min} to ${max} members` }];
  }
  return members.flatMap((member: unknown, i) => {
    const at = `members[${i}]`;
    if (typeof member !== 'object' || member === null || Array.isArray(member)) {
      return [{ field: at, message: 'must be an object { type, params? }' }];
    }
    const entry = member as Record<string, unknown>;
    const issues: ParamIssue[] = Object.keys(entry)
      .filter((k) => k !== 'type' && k !== 'params')
      .map((k) => ({ field: `${at}.${k}`, message: 'unknown member field; expected type, params' }));
    if (!isEnsembleMemberType(entry.type)) {
      issues.push({ field: `${at}.type`, message: `must be one of ${ENSEMBLE_MEMBER_TYPES.join(', ')}` });
      return issues;
    }
    const memberParams = entry.params ?? {};
    if (typeof memberParams !== 'object' || Array.isArray(memberParams)) {
      issues.push({ field: `${at}.params`, message: 'must be an object' });
      return issues;
    }
    const own = memberFamily(entry.type).validateParams(memberParams as Record<string, unknown>);
    return [...issues, ...own.map((issue) => ({ field: `${at}.params.${issue.field}`, message: issue.message }))];
  });
}

function weightsProblem(weights: unknown, count: number | null, stacking: boolean): string | null {
  if (stacking) return "apply only to method 'average'; stacking learns its own weights";
  if (!Array.isArray(weights)) return 'must be an array of numbers, one per member';
  if (count !== null && weights.length !== count) return `must be an array of ${count} numbers, one per member`;
  if (!weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0)) return 'must be finite non-negative numbers';
  if (!weights.some((w) => (w as number) > 0)) return 'must not all be 0';
  return null;
}

/** This family's rows of docs/model-parameters.md; its fields are structured, so they are described here, beside their checks. */
export function ensembleParamDocs(): ParamDoc[] {
  const rows: Record<keyof EnsembleParams, Omit<ParamDoc, 'name'>> = {
    members: {
      accepts: `list of ${MIN_MEMBERS} to ${MAX_MEMBERS} objects \`{ "type", "params" }\`; \`type\` one of ${ENSEMBLE_MEMBER_TYPES.map((t) => `\`${t}\``).join(', ')}`,
      default: `${DEFAULT_MEMBERS.map((m) => `\`${m.type}\``).join(' and ')}, each with its defaults`,
      doc: "The models combined. Each member's `params` are its own family's (see its section), checked as `members[i].params.<name>`.",
    },
    method: {
      accepts: `one of ${ENSEMBLE_METHODS.map((m) => `\`${m}\``).join(', ')}`,
      default: formatValue('average' satisfies EnsembleMethod),
      doc: '`average`: the weighted mean of the members\' outputs. `stacking`: a linear model fitted on the members\' validation predictions combines them (without validation rows, it averages).',
    },
    weights: {
      accepts: 'list of non-negative numbers, one per member, not all 0',
      default: 'equal weights',
      doc: '`average` only: how much each member counts, normalised to sum to 1.',
    },
  };
  return ENSEMBLE_PARAM_NAMES.map((name) => ({ name, ...rows[name as keyof EnsembleParams] }));
}
