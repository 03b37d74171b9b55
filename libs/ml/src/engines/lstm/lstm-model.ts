import type { Task } from '@trainyard/contracts';
import { MlError } from '../../errors';
import { outputUnits } from '../mlp/mlp-model';

export const LSTM_MODEL_FORMAT = 'trainyard-lstm';

/** Weights in TensorFlow.js's LSTM layout: gate blocks i, f, c, o along the 4·units axis. */
export interface LstmWeights {
  /** featureCount × 4·units, row-major. */
  kernel: Float32Array;
  /** units × 4·units, row-major. */
  recurrentKernel: Float32Array;
  /** 4·units. */
  bias: Float32Array;
  /** units × outputs, row-major: the last hidden state · dense + denseBias. */
  dense: Float32Array;
  denseBias: Float32Array;
}

/** What training needs beyond the weights to continue exactly where a checkpoint left off. */
export interface LstmTrainingState {
  adamIterations: number;
  /** First then second moments, one per variable in LSTM_VARIABLES order. */
  adamMoments: Float32Array[];
  bestEpoch: number | null;
  bestLoss: number | null;
  /** Weights at bestEpoch, when early stopping may need to return them. */
  bestWeights: LstmWeights | null;
}

export interface LstmModel {
  task: Task;
  /** 0 for regression. */
  numClasses: number;
  featureCount: number;
  window: number;
  units: number;
  weights: LstmWeights;
  /** Regression targets are standardised for training; predictions are output·std + mean. */
  target: { mean: number; std: number } | null;
  epochs: number;
  training: LstmTrainingState | null;
}

export const LSTM_VARIABLES = ['kernel', 'recurrentKernel', 'bias', 'dense', 'denseBias'] as const;

type WeightsJson = Record<keyof LstmWeights, string>;

/** JSON with float32 arrays as base64, so weights round-trip bit-exactly. */
export function encodeLstmModel(model: LstmModel): Uint8Array {
  const training = model.training && {
    ...model.training,
    adamMoments: model.training.adamMoments.map(toBase64),
    bestWeights: model.training.bestWeights && weightsToJson(model.training.bestWeights),
  };
  const json = { format: LSTM_MODEL_FORMAT, version: 1, ...model, weights: weightsToJson(model.weights), training };
  return new TextEncoder().encode(JSON.stringify(json));
}

export function decodeLstmModel(bytes: Uint8Array): LstmModel {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch (err) {
    throw new MlError('INTERNAL', `LSTM model is not JSON: ${(err as Error).message}`);
  }
  if (json?.format !== LSTM_MODEL_FORMAT || typeof json.weights !== 'object') throw new MlError('INTERNAL', 'Not a trainyard LSTM model');
  const training = json.training as (Omit<LstmTrainingState, 'adamMoments' | 'bestWeights'> & { adamMoments: string[]; bestWeights: WeightsJson | null }) | null;
  const model: LstmModel = {
    task: json.task as Task,
    numClasses: json.numClasses as number,
    featureCount: json.featureCount as number,
    window: json.window as number,
    units: json.units as number,
    weights: weightsFromJson(json.weights as WeightsJson),
    target: (json.target as LstmModel['target']) ?? null,
    epochs: json.epochs as number,
    training: training && {
      ...training,
      adamMoments: training.adamMoments.map(fromBase64),
      bestWeights: training.bestWeights && weightsFromJson(training.bestWeights),
    },
  };
  checkShapes(model);
  return model;
}

/** Each variable's shape, in LSTM_VARIABLES order. */
export function variableShapes(featureCount: number, units: number, outputs: number): number[][] {
  return [[featureCount, 4 * units], [units, 4 * units], [4 * units], [units, outputs], [outputs]];
}

function checkShapes(model: LstmModel): void {
  const shapes = variableShapes(model.featureCount, model.units, outputUnits(model.task, model.numClasses));
  LSTM_VARIABLES.forEach((name, i) => {
    const size = shapes[i]!.reduce((a, b) => a * b, 1);
    if (model.weights[name].length !== size) throw new MlError('INTERNAL', `LSTM model ${name} has ${model.weights[name].length} values, expected ${size}`);
  });
}

function weightsToJson(w: LstmWeights): WeightsJson {
  return Object.fromEntries(LSTM_VARIABLES.map((name) => [name, toBase64(w[name])])) as WeightsJson;
}

function weightsFromJson(json: WeightsJson): LstmWeights {
  return Object.fromEntries(LSTM_VARIABLES.map((name) => [name, fromBase64(json[name])])) as unknown as LstmWeights;
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
