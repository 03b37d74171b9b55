import type { Task } from '@trainyard/contracts';
import { MlError } from '../../errors';
import { perRoundMetric } from '../watched-metric';

export interface LightGBMObjective {
  /** LightGBM parameters selecting the objective and its eval metric. */
  params: [string, string][];
  /** The metric's name in round reports and the one early stopping watches. */
  metric: 'logLoss' | 'rmse';
  /** Raw scores per row: 1, or the class count for multiclass. */
  scoresPerRow: number;
}

/** binary / multiclass / regression, each with its matching eval metric. */
export function lightgbmObjective(task: Task, numClasses: number): LightGBMObjective {
  if (task === 'regression') return { params: [['objective', 'regression'], ['metric', 'rmse']], metric: 'rmse', scoresPerRow: 1 };
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new MlError('INVALID_HYPERPARAMETERS', `Classification needs at least 2 classes, got ${numClasses}`);
  }
  if (numClasses === 2) return { params: [['objective', 'binary'], ['metric', 'binary_logloss']], metric: 'logLoss', scoresPerRow: 1 };
  return {
    params: [['objective', 'multiclass'], ['num_class', String(numClasses)], ['metric', 'multi_logloss']],
    metric: 'logLoss',
    scoresPerRow: numClasses,
  };
}

/** Friendly names for LightGBM's metric names in round reports. */
export function metricName(lightgbmName: string): string {
  if (lightgbmName === 'binary_logloss' || lightgbmName === 'multi_logloss') return 'logLoss';
  if (lightgbmName === 'auc') return 'rocAuc';
  if (lightgbmName === 'l1') return 'mae';
  return lightgbmName;
}

/**
 * The objective's params with an API metric LightGBM can also report each round (perRoundMetric) added to its
 * `metric` list; the objective's own metric stays first, and early stopping reads it by name.
 */
export function withWatchedMetric(objective: LightGBMObjective, metric: string | undefined, task: Task, numClasses: number): [string, string][] {
  const watched = perRoundMetric(metric, task, numClasses);
  if (watched === null) return objective.params;
  const extra = { rocAuc: 'auc', mae: 'l1' }[watched];
  return objective.params.map(([k, v]) => (k === 'metric' ? [k, `${v},${extra}`] : [k, v]));
}
