export { trainXGBoost } from './xgboost-train';
export type { XGBoostTrainOptions, XGBoostTrainResult, XGBoostRoundEvent, RoundDecision } from './xgboost-train';
export { predictXGBoost } from './xgboost-predict';
export type { XGBoostPredictOptions } from './xgboost-predict';
export { xgboostVersion, xgboostSupportsCuda } from './xgboost-version';
export { validateXGBoostParams, effectiveXGBoostParams, XGBOOST_PARAM_NAMES } from './xgboost-params';

export { readXGBoostModel, parseBaseScore, gainImportance } from './xgboost-model-json';
export type { XGBoostModelSummary, XGBoostTreeJson } from './xgboost-model-json';
export type { XGBoostTask } from './xgboost-objective';
export { XGBoostCallError } from './xgboost-errors';
