export { xgboostToOnnx } from './xgboost-to-onnx';
export type { XGBoostToOnnxOptions } from './xgboost-to-onnx';
export { scoreOnnx, maxAbsDiff } from './score-onnx';
export type { OnnxScores, ScoreOnnxOptions } from './score-onnx';
