export * from './xgboost';
export * from './model-family';
export * from './model-families';
export { expandBinary } from './xgboost-family';
