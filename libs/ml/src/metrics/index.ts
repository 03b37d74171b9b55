export { classificationMetrics } from './classification-metrics';
export type { ClassificationMetrics, ClassMetrics } from './classification-metrics';
export { regressionMetrics } from './regression-metrics';
export type { RegressionMetrics } from './regression-metrics';
export { rocAuc } from './roc-auc';
export { binaryCurves, residualSample } from './curves';
export type { BinaryCurves } from './curves';
