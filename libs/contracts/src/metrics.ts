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

/**
 * Whether test metrics meet a job's deploy rule (`metric` at least `min`, at most `max`); false when the metric was
 * not computed (a metric the task does not have, or undefined on this data).
 */
export function meetsDeployRule(rule: { metric: string; min?: number | null; max?: number | null }, metrics: Record<string, unknown>): boolean {
  const value = metrics[rule.metric];
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  return (rule.min === undefined || rule.min === null || value >= rule.min) && (rule.max === undefined || rule.max === null || value <= rule.max);
}

/** Entries of a job's test metrics that hold plot points (ROC and PR curves, residual pairs), not numbers. */
export const PLOT_METRICS = ['curves', 'residuals'] as const;

/** Metrics without their plot points, for where only the numbers belong: a model version's summary, event payloads, job lists. */
export function metricsWithoutPlots<T extends Record<string, unknown> | null>(metrics: T): T {
  if (!metrics || !PLOT_METRICS.some((k) => k in metrics)) return metrics;
  return Object.fromEntries(Object.entries(metrics).filter(([k]) => !(PLOT_METRICS as readonly string[]).includes(k))) as T;
}
