import type { ModelFamily } from '../model-family';
import { decodeMlpModel, encodeMlpModel } from './mlp-model';
import { resolveMlpParams, validateMlpParams } from './mlp-params';
import { predictMlp } from './mlp-predict';
import { mlpToOnnx } from './mlp-to-onnx';
import { trainMlp } from './mlp-train';
import { loadTf } from './tfjs-wasm';

export const MLP_ENGINE = 'tfjs-wasm';

/** A fully connected network trained with Adam on TensorFlow.js's WASM backend, yielding to the event loop per batch. */
export const mlpFamily: ModelFamily = {
  type: 'mlp',
  needsScaledInputs: true,
  validateParams: validateMlpParams,
  resolvedParams: (params, { hasValidation }) => ({ ...resolveMlpParams(params, hasValidation) }),
  async train(opts) {
    const outcome = await trainMlp(opts);
    return {
      model: encodeMlpModel(outcome.model),
      rounds: outcome.rounds,
      bestRound: outcome.bestRound,
      stoppedEarly: outcome.stoppedEarly,
      cancelled: outcome.cancelled,
      engine: MLP_ENGINE,
      engineVersion: (await loadTf()).version.tfjs,
      // Weight-based attributions for networks mislead; the interface allows zeros when a family has none.
      featureImportance: new Array<number>(opts.train.cols).fill(0),
    };
  },
  predict: (model, m) => predictMlp(decodeMlpModel(model), m),
  toOnnx: mlpToOnnx,
};
