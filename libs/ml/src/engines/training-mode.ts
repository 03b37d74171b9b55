import { TRAINING_MODES, type ModelType, type TrainingMode } from '@trainyard/contracts';
import { MlError } from '../errors';

// The modes are part of the job contract; the library names them from there.
export { TRAINING_MODES, type TrainingMode };

const MODE_FAMILIES: Record<Exclude<TrainingMode, 'full'>, readonly ModelType[]> = {
  incremental: ['xgboost', 'lightgbm'],
  transfer: ['mlp', 'lstm'],
  ensemble_update: ['ensemble'],
};

/** Whether a family can train in a mode; every family trains in 'full'. */
export function supportsTrainingMode(type: ModelType, mode: TrainingMode): boolean {
  return mode === 'full' || MODE_FAMILIES[mode].includes(type);
}

/** The families that can train in a mode, for error messages and the API's validation. */
export function familiesForMode(mode: TrainingMode): readonly ModelType[] {
  return mode === 'full' ? [] : MODE_FAMILIES[mode];
}

/**
 * The parent model a run builds on: null for a full run; throws INVALID_HYPERPARAMETERS when the family cannot train
 * in the mode or the mode has no parent to start from.
 */
export function parentModel(type: ModelType, opts: { mode?: TrainingMode; initModel?: Uint8Array | null }): Uint8Array | null {
  const mode = opts.mode ?? 'full';
  if (!supportsTrainingMode(type, mode)) {
    throw new MlError('INVALID_HYPERPARAMETERS', `${type} cannot train in mode ${mode}; it is for ${familiesForMode(mode).join(', ')}`, { mode, type });
  }
  if (mode === 'full') return null;
  if (!opts.initModel || opts.initModel.byteLength === 0) {
    throw new MlError('INVALID_HYPERPARAMETERS', `mode ${mode} needs the parent model to start from`, { mode });
  }
  return opts.initModel;
}
