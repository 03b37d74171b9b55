import type { ModelFamily } from '../model-family';
import { loadTf } from '../mlp/tfjs-wasm';
import { decodeLstmModel, encodeLstmModel } from './lstm-model';
import { resolveLstmParams, validateLstmParams } from './lstm-params';
import { predictLstm } from './lstm-predict';
import { lstmToOnnx } from './lstm-to-onnx';
import { trainLstm } from './lstm-train';

export const LSTM_ENGINE = 'tfjs-wasm';

/**
 * A one-layer LSTM over sliding windows of rows, then a dense output, trained with Adam on TensorFlow.js's WASM
 * backend. It takes the same row matrix as every family, but reads row order as time order: callers must sort rows
 * by time (validation.method time_series does) — each row is predicted from itself and the window − 1 rows before it.
 */
export const lstmFamily: ModelFamily = {
  type: 'lstm',
  needsScaledInputs: true,
  validateParams: validateLstmParams,
  resolvedParams: (params, { hasValidation }) => ({ ...resolveLstmParams(params, hasValidation) }),
  async train(opts) {
    const outcome = await trainLstm(opts);
    return {
      model: encodeLstmModel(outcome.model),
      rounds: outcome.rounds,
      bestRound: outcome.bestRound,
      stoppedEarly: outcome.stoppedEarly,
      cancelled: outcome.cancelled,
      engine: LSTM_ENGINE,
      engineVersion: (await loadTf()).version.tfjs,
      // Recurrent weights give no honest per-feature attribution; the interface allows zeros.
      featureImportance: new Array<number>(opts.train.cols).fill(0),
    };
  },
  predict: (model, m) => predictLstm(decodeLstmModel(model), m),
  toOnnx: lstmToOnnx,
};
