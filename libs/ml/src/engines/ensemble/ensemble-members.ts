import type { ModelFamily } from '../model-family';
import { lightgbmFamily } from '../lightgbm/lightgbm-family';
import { linearFamily } from '../linear/linear-family';
import { mlpFamily } from '../mlp/mlp-family';
import { randomForestFamily } from '../random-forest-family';
import { xgboostFamily } from '../xgboost-family';

export const ENSEMBLE_MEMBER_TYPES = ['xgboost', 'lightgbm', 'random_forest', 'linear', 'mlp'] as const;
export type EnsembleMemberType = (typeof ENSEMBLE_MEMBER_TYPES)[number];

// Imported directly rather than through model-families.ts, which registers the ensemble itself (no import cycle).
const MEMBER_FAMILIES: Record<EnsembleMemberType, ModelFamily> = {
  xgboost: xgboostFamily,
  lightgbm: lightgbmFamily,
  random_forest: randomForestFamily,
  linear: linearFamily,
  mlp: mlpFamily,
};

/** Each member family's round-count param and its default, so progress can show a total before a member starts. */
const ROUND_PARAMS: Record<EnsembleMemberType, [string, number]> = {
  xgboost: ['numRounds', 100],
  lightgbm: ['numRounds', 100],
  random_forest: ['numTrees', 200],
  linear: ['maxIterations', 100],
  mlp: ['epochs', 50],
};

export function isEnsembleMemberType(type: unknown): type is EnsembleMemberType {
  return typeof type === 'string' && (ENSEMBLE_MEMBER_TYPES as readonly string[]).includes(type);
}

export function memberFamily(type: EnsembleMemberType): ModelFamily {
  return MEMBER_FAMILIES[type];
}

/** The rounds a member will train at most, before it reports its own total. */
export function plannedRounds(type: EnsembleMemberType, params: Record<string, unknown>): number {
  const [field, fallback] = ROUND_PARAMS[type];
  const value = params[field];
  return typeof value === 'number' ? value : fallback;
}

export function memberNeedsScaledInputs(type: EnsembleMemberType, params: Record<string, unknown>): boolean {
  const family = memberFamily(type);
  return family.needsScaledInputsFor?.(params) ?? family.needsScaledInputs ?? false;
}
