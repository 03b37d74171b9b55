import { MlError } from '../../errors';
import type { FamilyTrainOptions } from '../model-family';
import { targetScale } from './mlp-losses';
import type { MlpModel } from './mlp-model';
import { outputUnits } from './mlp-model';
import { initialLayers } from './mlp-network';

/**
 * The starting model of a transfer run: the parent's hidden layers and activation, and its output layer when the
 * task and output width are unchanged; otherwise a new output layer (seeded Glorot) and, for regression, the new
 * data's target scale. Epochs and optimizer state start afresh.
 */
export function transferredMlp(parent: MlpModel, opts: FamilyTrainOptions, seed: number): MlpModel {
  if (parent.featureCount !== opts.train.cols) {
    throw new MlError('INVALID_HYPERPARAMETERS', `The parent MLP takes ${parent.featureCount} features; this run has ${opts.train.cols}`);
  }
  const outputs = outputUnits(opts.task, opts.numClasses);
  const hidden = parent.layers.slice(0, -1);
  const head = parent.layers[parent.layers.length - 1]!;
  const keepHead = parent.task === opts.task && head.outputs === outputs;
  const lastWidth = hidden.length > 0 ? hidden[hidden.length - 1]!.outputs : parent.featureCount;
  return {
    task: opts.task,
    numClasses: opts.task === 'regression' ? 0 : opts.numClasses,
    featureCount: parent.featureCount,
    activation: parent.activation,
    layers: [...hidden, keepHead ? head : initialLayers(lastWidth, [], outputs, seed)[0]!],
    target: opts.task !== 'regression' ? null : keepHead && parent.target ? parent.target : targetScale(opts.train.labels),
    epochs: 0,
    training: null,
  };
}

/** How many leading layers stay frozen: at most the `available` ones (layers below the output), and only when transferring. */
export function trainableFrom(freezeLayers: number, available: number, family: string): number {
  if (!Number.isInteger(freezeLayers) || freezeLayers < 0) {
    throw new MlError('INVALID_HYPERPARAMETERS', `freezeLayers must be a whole number of layers, got ${freezeLayers}`);
  }
  if (freezeLayers > available) {
    const why = available === 0 ? 'only a transfer run has layers to freeze' : `the parent ${family} has ${available} layers below its output`;
    throw new MlError('INVALID_HYPERPARAMETERS', `freezeLayers is ${freezeLayers}, but ${why}`);
  }
  return freezeLayers;
}
