export { lstmFamily, LSTM_ENGINE } from './lstm-family';
export { validateLstmParams, resolveLstmParams, LSTM_PARAM_NAMES } from './lstm-params';
export type { LstmParams } from './lstm-params';
export { decodeLstmModel, encodeLstmModel } from './lstm-model';
export type { LstmModel, LstmWeights } from './lstm-model';
export { lstmToOnnx } from './lstm-to-onnx';
