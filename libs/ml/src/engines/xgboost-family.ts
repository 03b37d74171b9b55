import { xgboostToOnnx } from '../onnx/xgboost-to-onnx';
import type { ModelFamily } from './model-family';
import { effectiveXGBoostParams, predictXGBoost, trainXGBoost, validateXGBoostParams, xgboostVersion } from './xgboost';

/** XGBoost's binary predictions are P(class 1); every family reports both columns. */
export function expandBinary(predicted: Float32Array, numClasses: number, rows: number): Float32Array {
  if (numClasses !== 2 || predicted.length !== rows) return predicted;
  const out = new Float32Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    out[2 * i] = 1 - predicted[i];
    out[2 * i + 1] = predicted[i];
  }
  return out;
}

export const xgboostFamily: ModelFamily = {
  type: 'xgboost',
  validateParams: validateXGBoostParams,
  resolvedParams: (params) => effectiveXGBoostParams(params),
  async train(opts) {
    const result = await trainXGBoost(opts);
    return { ...result, engine: 'xgboost', engineVersion: result.engineVersion || xgboostVersion() };
  },
  async predict(model, m, numClasses) {
    return expandBinary(await predictXGBoost(model, m), numClasses, m.rows);
  },
  toOnnx: (model, opts) => xgboostToOnnx(model, opts),
};
