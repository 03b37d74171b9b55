export { mlpFamily, MLP_ENGINE } from './mlp-family';
export { validateMlpParams, resolveMlpParams, MLP_PARAM_NAMES, MLP_ACTIVATIONS } from './mlp-params';
export type { MlpParams, MlpActivation } from './mlp-params';
export { decodeMlpModel, encodeMlpModel } from './mlp-model';
export type { MlpModel, MlpLayerWeights } from './mlp-model';
export { mlpToOnnx } from './mlp-to-onnx';
