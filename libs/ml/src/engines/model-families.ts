import { XGBOOST_PARAM_NAMES } from './xgboost';
import { LIGHTGBM_PARAM_NAMES, RANDOM_FOREST_PARAM_NAMES } from './lightgbm';
import { LINEAR_PARAM_NAMES } from './linear';
import { MLP_PARAM_NAMES } from './mlp';
import { ENSEMBLE_PARAM_NAMES } from './ensemble';
import { LSTM_PARAM_NAMES } from './lstm';
import type { ModelType } from '@trainyard/contracts';
import { MlError } from '../errors';
import type { ModelFamily } from './model-family';
import { xgboostFamily } from './xgboost-family';
import { lightgbmFamily } from './lightgbm/lightgbm-family';
import { randomForestFamily } from './random-forest-family';
import { linearFamily } from './linear';
import { mlpFamily } from './mlp';
import { ensembleFamily } from './ensemble';
import { lstmFamily } from './lstm';

const PARAM_NAMES: Partial<Record<ModelType, readonly string[]>> = {
  xgboost: XGBOOST_PARAM_NAMES,
  lightgbm: LIGHTGBM_PARAM_NAMES,
  random_forest: RANDOM_FOREST_PARAM_NAMES,
  linear: LINEAR_PARAM_NAMES,
  mlp: MLP_PARAM_NAMES,
  ensemble: ENSEMBLE_PARAM_NAMES,
  lstm: LSTM_PARAM_NAMES,
};

const FAMILIES = new Map<ModelType, ModelFamily>([[xgboostFamily.type, xgboostFamily], [lightgbmFamily.type, lightgbmFamily], [randomForestFamily.type, randomForestFamily], [linearFamily.type, linearFamily], [mlpFamily.type, mlpFamily], [lstmFamily.type, lstmFamily], [ensembleFamily.type, ensembleFamily]]);

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

/** The params a family accepts, for search spaces that must name only real params. */
export function modelParamNames(type: ModelType): readonly string[] {
  return PARAM_NAMES[type] ?? [];
}
