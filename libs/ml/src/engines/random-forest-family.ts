import { lightgbmToOnnx } from '../onnx/lightgbm-to-onnx';
import type { ModelFamily } from './model-family';
import { dumpLightGBMModel, effectiveRandomForestParams, predictLightGBM, toProbabilityRows, trainLightGBM, validateRandomForestParams } from './lightgbm';

/** A random forest on LightGBM's boosting=rf: bagged trees whose outputs are averaged, exported like any LightGBM model. */
export const randomForestFamily: ModelFamily = {
  type: 'random_forest',
  validateParams: validateRandomForestParams,
  resolvedParams: (params) => effectiveRandomForestParams(params),
  async train(opts) {
    const result = await trainLightGBM({ ...opts, boosting: 'rf' });
    return { ...result, engine: 'lightgbm' };
  },
  async predict(model, m, numClasses) {
    return toProbabilityRows(await predictLightGBM(model, m), numClasses, m.rows);
  },
  toOnnx: (model, opts) => lightgbmToOnnx(dumpLightGBMModel(model), opts),
};
