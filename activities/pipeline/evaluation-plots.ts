import type { Matrix, PreparedData } from '@trainyard/ml';
import { precisionRecallCurve, residualSample, rocCurve } from '@trainyard/ml';

/** Regression test rows kept for the residual plot. */
export const RESIDUAL_POINTS = 500;

/** What the dashboard draws from a job's test metrics: `curves` (binary tasks) or `residuals` (regression). */
export interface EvaluationPlots {
  curves?: { roc: { fpr: number; tpr: number }[]; pr: { recall: number; precision: number }[]; positiveRate: number };
  residuals?: { actual: number; predicted: number }[];
}

/** Six significant digits are more than a plot resolves, and keep the job's metrics a few kilobytes. */
const round = (v: number) => Number(v.toPrecision(6));

/**
 * ROC and precision-recall curves of a binary classifier (class 1 is positive; at most 200 points each) and the
 * share of positive rows (the precision-recall baseline), or up to 500 (actual, predicted) pairs of a regression.
 */
export function evaluationPlots(prepared: Pick<PreparedData, 'task' | 'classLabels'>, test: Matrix, scores: Float32Array): EvaluationPlots {
  if (prepared.task === 'regression') {
    return { residuals: residualSample(test.labels, scores, RESIDUAL_POINTS).map((p) => ({ actual: round(p.actual), predicted: round(p.predicted) })) };
  }
  if (prepared.classLabels?.length !== 2 || test.rows === 0) return {};
  const positive = Array.from(test.labels, (label) => label === 1);
  const score = Float64Array.from({ length: test.rows }, (_, i) => scores[i * 2 + 1]);
  return {
    curves: {
      roc: rocCurve(positive, score).map((p) => ({ fpr: round(p.falsePositiveRate), tpr: round(p.truePositiveRate) })),
      pr: precisionRecallCurve(positive, score).map((p) => ({ recall: round(p.recall), precision: round(p.precision) })),
      positiveRate: round(positive.filter(Boolean).length / test.rows),
    },
  };
}
