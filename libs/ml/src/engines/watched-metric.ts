import type { Task } from '@trainyard/contracts';

/**
 * The API metric a booster can evaluate each round besides its loss, for a study's pruner: rocAuc on binary tasks,
 * mae on regression; null for anything else (the loss itself, or a metric the engines do not compute per round).
 */
export function perRoundMetric(metric: string | undefined, task: Task, numClasses: number): 'rocAuc' | 'mae' | null {
  if (metric === 'rocAuc' && task === 'classification' && numClasses === 2) return 'rocAuc';
  if (metric === 'mae' && task === 'regression') return 'mae';
  return null;
}
