export * from './xgboost';
export * from './model-family';
export * from './model-families';
export { expandBinary } from './xgboost-family';
export * from './lightgbm';
export { randomForestFamily } from './random-forest-family';
export * from './linear';
export * from './mlp';
