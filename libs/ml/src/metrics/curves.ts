import { MlError } from '../errors';
import { forEachScoreGroup, sortedOutcomes } from './score-groups';

/** Most points a curve returns, so a dashboard draws it at once whatever the test set's size. */
export const MAX_CURVE_POINTS = 200;

export interface RocPoint {
  /** Scores at or above it count as positive. */
  threshold: number;
  falsePositiveRate: number;
  truePositiveRate: number;
}

export interface PrPoint {
  threshold: number;
  precision: number;
  recall: number;
}

/** Cumulative counts at each distinct score, highest first: the confusion counts of every threshold. */
interface Sweep {
  thresholds: number[];
  truePositives: number[];
  falsePositives: number[];
  positives: number;
  negatives: number;
}

function sweep(positive: ArrayLike<boolean>, scores: ArrayLike<number>): Sweep {
  if (positive.length !== scores.length) throw new MlError('INTERNAL', `Expected ${scores.length} outcomes, got ${positive.length}`);
  const out: Sweep = { thresholds: [], truePositives: [], falsePositives: [], positives: 0, negatives: 0 };
  let tp = 0;
  let fp = 0;
  // Tied scores are one threshold.
  forEachScoreGroup(sortedOutcomes(positive, scores), true, (score, p, q) => {
    tp += p;
    fp += q;
    out.thresholds.push(score);
    out.truePositives.push(tp);
    out.falsePositives.push(fp);
  });
  out.positives = tp;
  out.negatives = fp;
  return out;
}

/**
 * Indices of at most `max` points spread evenly along the sweep, always keeping the first and last; a curve of
 * fewer points is returned whole.
 */
function thin(count: number, max: number): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (count - 1)) / (max - 1)));
}

/** Binary ROC curve from (0, 0) to (1, 1), at most `max` points; empty without both classes. */
export function rocCurve(positive: ArrayLike<boolean>, scores: ArrayLike<number>, max = MAX_CURVE_POINTS): RocPoint[] {
  const s = sweep(positive, scores);
  if (s.positives === 0 || s.negatives === 0) return [];
  const points = thin(s.thresholds.length, max - 1).map((i) => ({
    threshold: s.thresholds[i]!,
    falsePositiveRate: s.falsePositives[i]! / s.negatives,
    truePositiveRate: s.truePositives[i]! / s.positives,
  }));
  return [{ threshold: Number.POSITIVE_INFINITY, falsePositiveRate: 0, truePositiveRate: 0 }, ...points];
}

/** Binary precision-recall curve by rising recall, at most `max` points; empty without positives. */
export function precisionRecallCurve(positive: ArrayLike<boolean>, scores: ArrayLike<number>, max = MAX_CURVE_POINTS): PrPoint[] {
  const s = sweep(positive, scores);
  if (s.positives === 0) return [];
  return thin(s.thresholds.length, max).map((i) => ({
    threshold: s.thresholds[i]!,
    precision: s.truePositives[i]! / (s.truePositives[i]! + s.falsePositives[i]!),
    recall: s.truePositives[i]! / s.positives,
  }));
}
