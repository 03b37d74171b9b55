export { inferTask } from './infer-task';
export { prepareData, type PrepareOptions } from './prepare-data';
export type { PreparedData, ParitySample } from './prepared-data';
export { paritySample } from './parity-sample';
export {
  DATETIME_PARTS,
  transformFeatureNames,
  timeFeatureName,
  lookback,
  type TimeFeature,
  type DatetimePart,
  type FeatureTransform,
  type ForecastSpec,
  type PreprocessPlan,
} from './preprocess-plan';
export { learnedTarget, timeBound, timeBounds, type TimeBounds } from './forecast-target';
export { applyPlan, encodeRows } from './apply-plan';
export { applyFeatureStats } from './apply-feature-stats';
export { fitFeatureStats, type FeatureStats, type FeatureStatsOptions } from './fit-feature-stats';
export { balancedClassWeights, classWeightsFor, sampleWeights, type ClassWeightsSpec } from './class-weights';
export { classDistribution, classCounts, type ClassDistribution } from './class-distribution';
export { oversample } from './oversample';
export { applyPlanToRecords } from './apply-plan-to-records';
export { preparedBundlePieces, readPreparedBundle, writePreparedBundle } from './prepared-bundle';
export { seededRandom, shuffleInPlace } from './seeded-random';
export { holdoutSplit, timeOrderedSplit, type SplitIndices, type HoldoutOptions } from './holdout-split';
export { compareLabels } from './class-labels';
export { fitTimeFeatures, computeTimeFeatures } from './time-features';
export { frameTimeOrder, sortByTime, timeValues } from './time-order';
export { rankColumns, keptColumns, type ColumnImportance } from './rank-columns';
