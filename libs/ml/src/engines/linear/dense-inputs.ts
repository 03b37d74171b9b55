import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import type { FamilyTrainOptions } from '../model-family';

/** Rejects matrices the dense families cannot fit, naming the role and row; returns the validation set or null. */
export function checkDenseInputs(opts: FamilyTrainOptions, family: string): Matrix | null {
  if (opts.train.rows === 0) throw new MlError('INSUFFICIENT_DATA', `${family} needs at least one training row`);
  if (opts.task === 'classification' && (!Number.isInteger(opts.numClasses) || opts.numClasses < 2)) {
    throw new MlError('INVALID_HYPERPARAMETERS', `Classification needs at least 2 classes, got ${opts.numClasses}`);
  }
  checkMatrix(opts.train, opts, 'train');
  const validation = opts.validation && opts.validation.rows > 0 ? opts.validation : null;
  if (validation) {
    checkMatrix(validation, opts, 'validation');
    if (validation.cols !== opts.train.cols) {
      throw new MlError('DATASET_INVALID', `validation has ${validation.cols} columns, train has ${opts.train.cols}`);
    }
  }
  return validation;
}

function checkMatrix(m: Matrix, opts: FamilyTrainOptions, role: string): void {
  if (m.labels.length !== m.rows) throw new MlError('DATASET_INVALID', `${role} has ${m.rows} rows but ${m.labels.length} labels`);
  if (m.data.length !== m.rows * m.cols) {
    throw new MlError('DATASET_INVALID', `${role} data has ${m.data.length} values, expected ${m.rows}x${m.cols}`);
  }
  if (m.weights && (m.weights.length !== m.rows || m.weights.some((w) => !(w >= 0 && Number.isFinite(w))) || !m.weights.some((w) => w > 0))) {
    throw new MlError('DATASET_INVALID', `${role} sample weights must be ${m.rows} finite non-negative numbers, not all 0`);
  }
  for (let i = 0; i < m.rows; i++) {
    const y = m.labels[i]!;
    const ok = opts.task === 'regression' ? Number.isFinite(y) : Number.isInteger(y) && y >= 0 && y < opts.numClasses;
    if (!ok) {
      const expected = opts.task === 'regression' ? 'a finite number' : `a class index in [0, ${opts.numClasses})`;
      throw new MlError('DATASET_INVALID', `${role} label at row ${i} is ${y}; expected ${expected}`, { row: i });
    }
  }
}

/** A copy with NaN (missing) as 0: preprocessing should already have imputed, and 0 is the standardised mean. */
export function withoutMissing(data: Float32Array): Float32Array {
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    out[i] = v === v ? v : 0;
  }
  return out;
}
