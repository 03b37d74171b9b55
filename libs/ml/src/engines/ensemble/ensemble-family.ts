import { MlError } from '../../errors';
import type { ModelFamily } from '../model-family';
import { combineOutputs, memberOutputs } from './ensemble-combine';
import { memberFamily, memberNeedsScaledInputs } from './ensemble-members';
import { decodeEnsembleModel } from './ensemble-model';
import { resolveEnsembleParams, validateEnsembleParams } from './ensemble-params';
import { ensembleToOnnx } from './ensemble-to-onnx';
import { trainEnsemble } from './ensemble-train';

/**
 * 2–5 members of the other families trained in turn on one matrix, combined by a weighted average of their outputs
 * or a linear meta-model (stacking). All members see the same features, so when any member needs scaled inputs
 * the ensemble asks for them; trees train as well on imputed, standardised columns.
 */
export const ensembleFamily: ModelFamily = {
  type: 'ensemble',
  // Conservative for callers that read only the flag; needsScaledInputsFor answers per params.
  needsScaledInputs: true,
  needsScaledInputsFor(params) {
    return resolveEnsembleParams(params).members.some((m) => memberNeedsScaledInputs(m.type, m.params));
  },
  validateParams: validateEnsembleParams,
  resolvedParams(params, context) {
    const { members, method, weights } = resolveEnsembleParams(params);
    return { members: members.map((m) => ({ type: m.type, params: memberFamily(m.type).resolvedParams(m.params, context) })), method, weights };
  },
  train: trainEnsemble,
  async predict(bytes, m) {
    const model = decodeEnsembleModel(bytes);
    if (model.pending) throw new MlError('INTERNAL', 'Cannot predict with an ensemble checkpoint');
    if (m.cols !== model.featureCount) throw new MlError('DATASET_INVALID', `Model expects ${model.featureCount} features, got ${m.cols}`);
    return combineOutputs(model, await memberOutputs(model, m), m.rows);
  },
  toOnnx: ensembleToOnnx,
};
