import type { ClassDistribution } from '@trainyard/contracts';

/** How the target's classes are spread, for the preprocess log and the job (the type lives in contracts). */
export type { ClassDistribution };

/** Rows per class index. */
export function classCounts(labels: ArrayLike<number>, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}

export function classDistribution(labels: ArrayLike<number>, classLabels: string[]): ClassDistribution {
  const counts = classCounts(labels, classLabels.length);
  const present = counts.filter((n) => n > 0);
  return { counts: byLabel(counts, classLabels), imbalanceRatio: Math.max(...present) / Math.min(...present) };
}

export function byLabel(counts: number[], classLabels: string[]): Record<string, number> {
  return Object.fromEntries(classLabels.map((label, i) => [label, counts[i]!]));
}
