import type { Task } from '@trainyard/contracts';
import { MlError } from '../../errors';
import type { MlpActivation } from './mlp-params';

export const MLP_MODEL_FORMAT = 'trainyard-mlp';

/** Weights as they live in memory: W is inputs×outputs row-major, so h·W + b. */
export interface MlpLayerWeights {
  inputs: number;
  outputs: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** What training needs beyond the weights to continue exactly where a checkpoint left off. */
export interface MlpTrainingState {
  /** Adam's step count and first then second moments, one per variable in layer order (W0, b0, W1, …). */
  adamIterations: number;
  adamMoments: Float32Array[];
  bestEpoch: number | null;
  bestLoss: number | null;
  /** Weights at bestEpoch, when early stopping may need to return them. */
  bestLayers: MlpLayerWeights[] | null;
}

export interface MlpModel {
  task: Task;
  /** 0 for regression. */
  numClasses: number;
  featureCount: number;
  activation: MlpActivation;
  /** Hidden layers then the output layer (1 unit for binary and regression, numClasses for softmax). */
  layers: MlpLayerWeights[];
  /** Regression targets are standardised for training; predictions are output·std + mean. */
  target: { mean: number; std: number } | null;
  /** Epochs the weights have seen. */
  epochs: number;
  training: MlpTrainingState | null;
}

interface LayerJson {
  inputs: number;
  outputs: number;
  weights: string;
  bias: string;
}

export function outputUnits(task: Task, numClasses: number): number {
  return task === 'regression' || numClasses === 2 ? 1 : numClasses;
}

/** JSON with float32 arrays as base64, so weights round-trip bit-exactly. */
export function encodeMlpModel(model: MlpModel): Uint8Array {
  const layer = (l: MlpLayerWeights): LayerJson => ({ inputs: l.inputs, outputs: l.outputs, weights: toBase64(l.weights), bias: toBase64(l.bias) });
  const training = model.training && {
    ...model.training,
    adamMoments: model.training.adamMoments.map(toBase64),
    bestLayers: model.training.bestLayers?.map(layer) ?? null,
  };
  const json = { format: MLP_MODEL_FORMAT, version: 1, ...model, layers: model.layers.map(layer), training };
  return new TextEncoder().encode(JSON.stringify(json));
}

export function decodeMlpModel(bytes: Uint8Array): MlpModel {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch (err) {
    throw new MlError('INTERNAL', `MLP model is not JSON: ${(err as Error).message}`);
  }
  if (json?.format !== MLP_MODEL_FORMAT || !Array.isArray(json.layers)) throw new MlError('INTERNAL', 'Not a trainyard MLP model');
  const layers = (json.layers as LayerJson[]).map(fromLayerJson);
  const training = json.training as (Omit<MlpTrainingState, 'adamMoments' | 'bestLayers'> & { adamMoments: string[]; bestLayers: LayerJson[] | null }) | null;
  const model: MlpModel = {
    task: json.task as Task,
    numClasses: json.numClasses as number,
    featureCount: json.featureCount as number,
    activation: json.activation as MlpActivation,
    layers,
    target: (json.target as MlpModel['target']) ?? null,
    epochs: json.epochs as number,
    training: training && {
      ...training,
      adamMoments: training.adamMoments.map(fromBase64),
      bestLayers: training.bestLayers?.map(fromLayerJson) ?? null,
    },
  };
  checkShapes(model);
  return model;
}

function fromLayerJson(l: LayerJson): MlpLayerWeights {
  return { inputs: l.inputs, outputs: l.outputs, weights: fromBase64(l.weights), bias: fromBase64(l.bias) };
}

function checkShapes(model: MlpModel): void {
  let inputs = model.featureCount;
  for (const [i, l] of model.layers.entries()) {
    if (l.inputs !== inputs || l.weights.length !== l.inputs * l.outputs || l.bias.length !== l.outputs) {
      throw new MlError('INTERNAL', `MLP model layer ${i} has inconsistent shapes`);
    }
    inputs = l.outputs;
  }
  if (inputs !== outputUnits(model.task, model.numClasses)) throw new MlError('INTERNAL', 'MLP model output layer does not match its task');
}

function toBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  // Copy into a fresh, aligned buffer: Buffer pools may start at any offset.
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
