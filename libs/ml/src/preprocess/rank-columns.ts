import type { FeatureSelectionSpec } from '@trainyard/contracts';
import type { PreprocessPlan } from './preprocess-plan';

export interface ColumnImportance {
  column: string;
  /** The column's share of the total importance: the sum over every matrix column made from it. */
  importance: number;
}

/** Raw columns by descending importance (ties in plan order), adding up datetime parts and time features per source. */
export function rankColumns(plan: PreprocessPlan, featureImportance: ArrayLike<number>): ColumnImportance[] {
  const sources = [
    ...plan.transforms.flatMap((t) => (t.kind === 'datetime' ? t.parts.map(() => t.column) : [t.column])),
    ...(plan.timeFeatures ?? []).map((f) => f.column),
  ];
  const totals = new Map(plan.inputs.map((i) => [i.name, 0]));
  sources.forEach((column, f) => totals.set(column, (totals.get(column) ?? 0) + (featureImportance[f] ?? 0)));
  const sum = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals]
    .map(([column, total]) => ({ column, importance: sum > 0 ? total / sum : 0 }))
    .sort((a, b) => b.importance - a.importance);
}

/** The columns to keep: at least minImportance each, at most topK of them, never none (the best one stays). */
export function keptColumns(ranked: ColumnImportance[], { topK, minImportance }: FeatureSelectionSpec): string[] {
  const kept = ranked.filter((c, i) => (topK === null || i < topK) && (minImportance === null || c.importance >= minImportance));
  return (kept.length > 0 ? kept : ranked.slice(0, 1)).map((c) => c.column);
}
