import type { ParamIssue } from '../model-family';
import { resolveBySpec, validateBySpec } from '../linear/param-spec';
import type { ParamSpec } from '../linear/param-spec';

export const MLP_ACTIVATIONS = ['relu', 'tanh'] as const;
export type MlpActivation = (typeof MLP_ACTIVATIONS)[number];

export interface MlpParams {
  hiddenLayers: number[];
  activation: MlpActivation;
  /** Adam's step size. */
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Penalty l2·Σw² on weights (not biases), as Keras' L2 regulariser. */
  l2: number;
  /** Share of each hidden layer's units dropped per batch while training. */
  dropout: number;
  /** Stop after this many epochs without a lower validation loss; null trains every epoch. */
  earlyStoppingRounds: number | null;
  seed: number;
}

const SPECS: Record<string, ParamSpec> = {
  hiddenLayers: { kind: 'intList', min: 1, max: 4096, maxLength: 16 },
  activation: { kind: 'choice', choices: MLP_ACTIVATIONS },
  learningRate: { kind: 'number', min: 0, max: 1, minInclusive: false },
  epochs: { kind: 'int', min: 1, max: 100_000 },
  batchSize: { kind: 'int', min: 1, max: 1_000_000 },
  l2: { kind: 'number', min: 0, max: Number.MAX_VALUE },
  dropout: { kind: 'number', min: 0, max: 1, maxInclusive: false },
  earlyStoppingRounds: { kind: 'int', min: 1, max: 100_000 },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1 },
};

export const MLP_PARAM_NAMES = Object.keys(SPECS);

const DEFAULTS: MlpParams = {
  hiddenLayers: [64, 32],
  activation: 'relu',
  learningRate: 0.001,
  epochs: 50,
  batchSize: 256,
  l2: 0,
  dropout: 0,
  earlyStoppingRounds: null,
  seed: 0,
};

export function validateMlpParams(params: Record<string, unknown>): ParamIssue[] {
  return validateBySpec('mlp', SPECS, params);
}

/** Throws INVALID_HYPERPARAMETERS naming each bad field. */
export function resolveMlpParams(params: Record<string, unknown>): MlpParams {
  return resolveBySpec('mlp', SPECS, DEFAULTS, params);
}
