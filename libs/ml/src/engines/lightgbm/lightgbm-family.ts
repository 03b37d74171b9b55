import { lightgbmToOnnx } from '../../onnx/lightgbm-to-onnx';
import type { ModelFamily } from '../model-family';
import { dumpLightGBMModel } from './lightgbm-model-json';
import { effectiveLightGBMParams, validateLightGBMParams } from './lightgbm-params';
import { predictLightGBM, toProbabilityRows } from './lightgbm-predict';
import { trainLightGBM } from './lightgbm-train';

/** Gradient-boosted trees on LightGBM (boosting=gbdt). */
export const lightgbmFamily: ModelFamily = {
  type: 'lightgbm',
  validateParams: validateLightGBMParams,
  resolvedParams: (params) => effectiveLightGBMParams(params),
  async train(opts) {
    const result = await trainLightGBM({ ...opts, boosting: 'gbdt' });
    return { ...result, engine: 'lightgbm' };
  },
  async predict(model, m, numClasses) {
    return toProbabilityRows(await predictLightGBM(model, m), numClasses, m.rows);
  },
  toOnnx: (model, opts) => lightgbmToOnnx(dumpLightGBMModel(model), opts),
};
