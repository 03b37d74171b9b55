/** Which way is better for each headline metric. */
export const METRIC_DIRECTIONS: Record<string, 'max' | 'min'> = {
  accuracy: 'max',
  precision: 'max',
  recall: 'max',
  f1: 'max',
  rocAuc: 'max',
  logLoss: 'min',
  mae: 'min',
  rmse: 'min',
  mape: 'min',
  r2: 'max',
};

/** How much better `candidate` is than `incumbent` on `metric` (positive = better), whichever way the metric points. */
export function improvement(metric: string, candidate: number, incumbent: number): number {
  return METRIC_DIRECTIONS[metric] === 'min' ? incumbent - candidate : candidate - incumbent;
}
