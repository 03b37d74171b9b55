import type { ModelType } from '@trainyard/contracts';
import { MlError } from '../errors';
import type { ModelFamily } from './model-family';
import { xgboostFamily } from './xgboost-family';
import { lightgbmFamily } from './lightgbm/lightgbm-family';
import { randomForestFamily } from './random-forest-family';
import { linearFamily } from './linear';
import { mlpFamily } from './mlp';

const FAMILIES = new Map<ModelType, ModelFamily>([[xgboostFamily.type, xgboostFamily], [lightgbmFamily.type, lightgbmFamily], [randomForestFamily.type, randomForestFamily], [linearFamily.type, linearFamily], [mlpFamily.type, mlpFamily]]);

/** Registers a family (engines that load optional native libraries add themselves here). */
export function registerModelFamily(family: ModelFamily): void {
  FAMILIES.set(family.type, family);
}

export function availableModelTypes(): ModelType[] {
  return [...FAMILIES.keys()];
}

export function modelFamily(type: ModelType): ModelFamily {
  const family = FAMILIES.get(type);
  if (!family) throw new MlError('INVALID_HYPERPARAMETERS', `model type ${type} is not available`);
  return family;
}
