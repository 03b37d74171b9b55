import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { perRoundMetric } from '../watched-metric';

export type XGBoostTask = 'classification' | 'regression';

export interface Objective {
  objective: string;
  evalMetric: string;
  /** Extra XGBoost parameters the objective needs. */
  params: [string, string][];
}

/** binary:logistic / multi:softprob / reg:squarederror, each with its matching eval metric. */
export function objectiveFor(task: XGBoostTask, numClasses: number): Objective {
  if (task === 'regression') return { objective: 'reg:squarederror', evalMetric: 'rmse', params: [] };
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new MlError('INVALID_HYPERPARAMETERS', `Classification needs at least 2 classes, got ${numClasses}`);
  }
  if (numClasses === 2) return { objective: 'binary:logistic', evalMetric: 'logloss', params: [] };
  return { objective: 'multi:softprob', evalMetric: 'mlogloss', params: [['num_class', String(numClasses)]] };
}

/** Rejects labels XGBoost would refuse mid-training, so the message names the row. */
export function checkLabels(m: Matrix, task: XGBoostTask, numClasses: number, role: string): void {
  if (m.labels.length !== m.rows) {
    throw new MlError('DATASET_INVALID', `${role} has ${m.rows} rows but ${m.labels.length} labels`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new MlError('DATASET_INVALID', `${role} data has ${m.data.length} values, expected ${m.rows}x${m.cols}`);
  }
  for (let i = 0; i < m.rows; i++) {
    const y = m.labels[i]!;
    const ok = task === 'regression' ? Number.isFinite(y) : Number.isInteger(y) && y >= 0 && y < numClasses;
    if (!ok) {
      const expected = task === 'regression' ? 'a finite number' : `a class index in [0, ${numClasses})`;
      throw new MlError('DATASET_INVALID', `${role} label at row ${i} is ${y}; expected ${expected}`, { row: i });
    }
  }
}

/** Friendly names for XGBoost's eval metrics in round reports. */
export function metricName(xgboostName: string): string {
  if (xgboostName === 'logloss' || xgboostName === 'mlogloss') return 'logLoss';
  if (xgboostName === 'auc') return 'rocAuc';
  return xgboostName;
}

/** XGBoost's eval metric for an API metric it can report each round besides the objective's own (perRoundMetric), or null. */
export function extraEvalMetric(metric: string | undefined, task: XGBoostTask, numClasses: number): string | null {
  const watched = perRoundMetric(metric, task, numClasses);
  return watched === null ? null : { rocAuc: 'auc', mae: 'mae' }[watched];
}
