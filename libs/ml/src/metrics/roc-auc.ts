import { forEachScoreGroup, sortedOutcomes } from './score-groups';

/** Area under the ROC curve via the rank-sum statistic, with tied scores sharing their average rank; null without both classes. */
export function rocAuc(positive: ArrayLike<boolean>, scores: ArrayLike<number>): number | null {
  const outcomes = sortedOutcomes(positive, scores);
  const positives = outcomes.positives.length;
  const negatives = outcomes.negatives.length;
  if (positives === 0 || negatives === 0) return null;
  let ranked = 0;
  let rankSum = 0;
  forEachScoreGroup(outcomes, false, (_, p, q) => {
    // Ranks ranked + 1 … ranked + p + q, shared: each tied score gets their average.
    rankSum += p * (ranked + (p + q + 1) / 2);
    ranked += p + q;
  });
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
