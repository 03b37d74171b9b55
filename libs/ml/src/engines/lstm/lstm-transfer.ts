import { MlError } from '../../errors';
import { targetScale } from '../mlp/mlp-losses';
import { outputUnits } from '../mlp/mlp-model';
import type { FamilyTrainOptions } from '../model-family';
import type { LstmModel } from './lstm-model';
import { initialWeights } from './lstm-network';

/**
 * The starting model of a transfer run: the parent's LSTM layer, window and units, and its dense output when the task
 * and output width are unchanged; otherwise a new seeded output and, for regression, the new data's target scale.
 */
export function transferredLstm(parent: LstmModel, opts: FamilyTrainOptions, seed: number): LstmModel {
  if (parent.featureCount !== opts.train.cols) {
    throw new MlError('INVALID_HYPERPARAMETERS', `The parent LSTM takes ${parent.featureCount} features; this run has ${opts.train.cols}`);
  }
  const outputs = outputUnits(opts.task, opts.numClasses);
  const keepHead = parent.task === opts.task && parent.weights.denseBias.length === outputs;
  const head = keepHead ? parent.weights : initialWeights(parent.featureCount, parent.units, outputs, seed);
  return {
    task: opts.task,
    numClasses: opts.task === 'regression' ? 0 : opts.numClasses,
    featureCount: parent.featureCount,
    window: parent.window,
    units: parent.units,
    weights: { ...parent.weights, dense: head.dense, denseBias: head.denseBias },
    target: opts.task !== 'regression' ? null : keepHead && parent.target ? parent.target : targetScale(opts.train.labels),
    epochs: 0,
    training: null,
  };
}
