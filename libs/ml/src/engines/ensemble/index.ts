export { ensembleFamily } from './ensemble-family';
export { ENSEMBLE_ENGINE, ENSEMBLE_ENGINE_VERSION, ensembleUpdateParams } from './ensemble-train';
export { validateEnsembleParams, resolveEnsembleParams, ENSEMBLE_PARAM_NAMES, ENSEMBLE_METHODS } from './ensemble-params';
export type { EnsembleParams, EnsembleMemberSpec, EnsembleMethod } from './ensemble-params';
export { ENSEMBLE_MEMBER_TYPES } from './ensemble-members';
export type { EnsembleMemberType } from './ensemble-members';
export { decodeEnsembleModel, encodeEnsembleModel } from './ensemble-model';
export type { EnsembleModel, EnsembleMemberModel } from './ensemble-model';
export { ensembleToOnnx } from './ensemble-to-onnx';
