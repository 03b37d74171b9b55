export { linearFamily, LINEAR_ENGINE, LINEAR_ENGINE_VERSION } from './linear-family';
export { validateLinearParams, resolveLinearParams, LINEAR_PARAM_NAMES } from './linear-params';
export type { LinearParams } from './linear-params';
export { decodeLinearModel, predictLinear } from './linear-model';
export type { LinearModel } from './linear-model';
export { linearToOnnx } from './linear-to-onnx';
export { denseGraphToOnnx, REGRESSION_OUTPUT } from './dense-graph-to-onnx';
export type { DenseLayer, DenseGraphOptions } from './dense-graph-to-onnx';
