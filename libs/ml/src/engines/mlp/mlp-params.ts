import type { ParamIssue } from '../model-family';
import { resolveBySpec, validateBySpec } from '../linear/param-spec';
import { describeTable } from '../param-docs';
import type { ParamDoc } from '../param-docs';
import type { ParamSpec } from '../linear/param-spec';
import { earlyStoppingSpec, patience } from './early-stopping';

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
  /**
   * Stop after this many epochs without a lower validation loss and keep the best epoch's weights; 0 or no validation
   * set trains every epoch. Unset, it is MLP_DEFAULT_PATIENCE whenever there is a validation set.
   */
  earlyStoppingRounds: number | null;
  seed: number;
}

/** Epochs without a better validation loss before stopping, when unset: batches of 256 make the curve smooth but slow. */
export const MLP_DEFAULT_PATIENCE = 10;

/** Each `doc` goes into docs/model-parameters.md. */
const SPECS: Record<string, ParamSpec> = {
  hiddenLayers: { kind: 'intList', min: 1, max: 4096, maxLength: 16, doc: 'Units of each hidden layer, from the input side; `[]` fits no hidden layer (a linear model).' },
  activation: { kind: 'choice', choices: MLP_ACTIVATIONS, doc: 'Activation of the hidden layers.' },
  learningRate: { kind: 'number', min: 0, max: 1, minInclusive: false, doc: "Adam's step size." },
  epochs: { kind: 'int', min: 1, max: 100_000, doc: 'Passes over the training rows, at most (early stopping may end sooner).' },
  batchSize: { kind: 'int', min: 1, max: 1_000_000, doc: 'Rows per Adam step; each epoch visits the rows in a new seeded order.' },
  l2: { kind: 'number', min: 0, max: Number.MAX_VALUE, doc: 'Penalty l2·Σw² on the weights (not the biases) added to each batch loss.' },
  dropout: { kind: 'number', min: 0, max: 1, maxInclusive: false, doc: "Share of each hidden layer's units dropped at random in every training batch; none when predicting." },
  earlyStoppingRounds: earlyStoppingSpec(MLP_DEFAULT_PATIENCE),
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1, doc: 'Seed of the initial weights, the row order of each epoch and the dropout masks.' },
};

export const MLP_PARAM_NAMES = Object.keys(SPECS);

/**
 * Chosen on the tabular sets in mlp-defaults.spec.ts (and checked against XGBoost's defaults there): two hidden layers
 * taper 64 -> 32, enough for the interactions of a few dozen encoded features; relu trains fastest on standardised
 * inputs; Adam's usual 0.001 with batches of 256 is smooth enough that 50 epochs converge on 1k-100k rows; no l2 or
 * dropout by default, since early stopping on validation loss is the regulariser that needs no tuning.
 */
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

/** This family's rows of docs/model-parameters.md. */
export function mlpParamDocs(): ParamDoc[] {
  return describeTable(SPECS, DEFAULTS);
}

export function validateMlpParams(params: Record<string, unknown>): ParamIssue[] {
  return validateBySpec('mlp', SPECS, params);
}

/** Throws INVALID_HYPERPARAMETERS naming each bad field; `hasValidation` turns on the default early stopping. */
export function resolveMlpParams(params: Record<string, unknown>, hasValidation = false): MlpParams {
  const resolved = resolveBySpec('mlp', SPECS, DEFAULTS, params);
  return { ...resolved, earlyStoppingRounds: patience(resolved.earlyStoppingRounds, MLP_DEFAULT_PATIENCE, hasValidation) };
}
