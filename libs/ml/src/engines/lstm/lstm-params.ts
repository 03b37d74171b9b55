import type { ParamIssue } from '../model-family';
import { resolveBySpec, validateBySpec } from '../linear/param-spec';
import type { ParamSpec } from '../linear/param-spec';

export interface LstmParams {
  /** Rows per input sequence: each row is predicted from itself and the window − 1 rows before it. */
  window: number;
  /** LSTM hidden units. */
  units: number;
  /** Adam's step size. */
  learningRate: number;
  epochs: number;
  batchSize: number;
  /** Penalty l2·Σw² on the kernels and the dense weights (not biases). */
  l2: number;
  /** Stop after this many epochs without a lower validation loss; null trains every epoch. */
  earlyStoppingRounds: number | null;
  seed: number;
}

const SPECS: Record<string, ParamSpec> = {
  window: { kind: 'int', min: 1, max: 512 },
  units: { kind: 'int', min: 1, max: 1024 },
  learningRate: { kind: 'number', min: 0, max: 1, minInclusive: false },
  epochs: { kind: 'int', min: 1, max: 100_000 },
  batchSize: { kind: 'int', min: 1, max: 1_000_000 },
  l2: { kind: 'number', min: 0, max: Number.MAX_VALUE },
  earlyStoppingRounds: { kind: 'int', min: 1, max: 100_000 },
  seed: { kind: 'int', min: 0, max: 2 ** 31 - 1 },
};

export const LSTM_PARAM_NAMES = Object.keys(SPECS);

const DEFAULTS: LstmParams = {
  window: 8,
  units: 32,
  learningRate: 0.005,
  epochs: 30,
  batchSize: 64,
  l2: 0,
  earlyStoppingRounds: null,
  seed: 0,
};

export function validateLstmParams(params: Record<string, unknown>): ParamIssue[] {
  return validateBySpec('lstm', SPECS, params);
}

/** Throws INVALID_HYPERPARAMETERS naming each bad field. */
export function resolveLstmParams(params: Record<string, unknown>): LstmParams {
  return resolveBySpec('lstm', SPECS, DEFAULTS, params);
}
