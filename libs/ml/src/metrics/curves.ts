/** The points the dashboard draws for a binary classifier's test rows (stored as `metrics.curves`). */
export interface BinaryCurves {
  roc: { fpr: number; tpr: number }[];
  pr: { recall: number; precision: number }[];
  /** The share of positive rows: a precision–recall curve's no-skill baseline. */
  positiveRate: number;
}

/** At most this many points per curve: plenty to draw, small enough to keep in the job's metrics. */
const MAX_POINTS = 200;

/**
 * ROC and precision–recall curves of `scores` (higher means positive), one point per distinct threshold, thinned
 * to at most `maxPoints` evenly over the thresholds (the ends always kept). Null without both classes.
 */
export function binaryCurves(positive: ArrayLike<boolean>, scores: ArrayLike<number>, maxPoints = MAX_POINTS): BinaryCurves | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < n; i++) if (positive[i]) positives++;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;

  const roc = [{ fpr: 0, tpr: 0 }];
  const pr: { recall: number; precision: number }[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    if (positive[order[i]!]) tp++;
    else fp++;
    // A threshold lies between distinct scores only: tied rows move together.
    if (i < n - 1 && scores[order[i + 1]!] === scores[order[i]!]) continue;
    roc.push({ fpr: fp / negatives, tpr: tp / positives });
    pr.push({ recall: tp / positives, precision: tp / (tp + fp) });
  }
  return { roc: thin(roc, maxPoints), pr: thin(pr, maxPoints), positiveRate: positives / n };
}

/** Up to `max` (actual, predicted) pairs of a regression's test rows, evenly spaced through the rows, for a residual plot. */
export function residualSample(actual: ArrayLike<number>, predicted: ArrayLike<number>, max = 500): { actual: number; predicted: number }[] {
  const n = Math.min(actual.length, predicted.length);
  const step = Math.max(1, n / max);
  const out: { actual: number; predicted: number }[] = [];
  for (let x = 0; x < n && out.length < max; x += step) {
    const i = Math.floor(x);
    if (Number.isFinite(actual[i]!) && Number.isFinite(predicted[i]!)) out.push({ actual: actual[i]!, predicted: predicted[i]! });
  }
  return out;
}

function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  for (let k = 0; k < max; k++) out.push(points[Math.round((k * (points.length - 1)) / (max - 1))]!);
  return out;
}
