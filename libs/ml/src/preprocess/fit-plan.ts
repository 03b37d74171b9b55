import type { Task } from '@trainyard/contracts';
import type { Frame, FrameColumn } from '../data/frame';
import { DATETIME_PARTS, transformFeatureNames, type FeatureTransform, type PreprocessPlan } from './preprocess-plan';

/** Rarer categories than the most frequent this many share the unseen code, so an id column can't blow up the plan. */
const MAX_CATEGORIES = 1000;

export interface FitPlanInput {
  frame: Frame;
  target: string;
  features: string[];
  task: Task;
  classLabels: string[] | null;
  /** Rows whose values define category vocabularies (the training split, to avoid leakage). */
  fitRows: ArrayLike<number>;
}

export function fitPlan({ frame, target, features, task, classLabels, fitRows }: FitPlanInput): PreprocessPlan {
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  const columns = features.map((name) => byName.get(name)!);
  const transforms = columns.map((c) => fitTransform(c, fitRows));
  return {
    version: 1,
    task,
    target,
    inputs: columns.map((c) => ({ name: c.name, type: c.type })),
    transforms,
    featureNames: transforms.flatMap(transformFeatureNames),
    classLabels,
  };
}

function fitTransform(column: FrameColumn, fitRows: ArrayLike<number>): FeatureTransform {
  switch (column.type) {
    case 'string':
      return { column: column.name, kind: 'category', categories: vocabulary(column.values, fitRows) };
    case 'boolean':
      return { column: column.name, kind: 'boolean' };
    case 'datetime':
      return { column: column.name, kind: 'datetime', parts: [...DATETIME_PARTS] };
    default:
      return { column: column.name, kind: 'numeric' };
  }
}

/** Categories by descending frequency, ties in code-unit order, so codes are deterministic; "" is missing, as in CSV. */
function vocabulary(values: (string | null)[], rows: ArrayLike<number>): string[] {
  const counts = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const v = values[rows[i]];
    if (v !== null && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size <= MAX_CATEGORIES) return byFrequency([...counts.entries()]);
  // An id-like column has far more values than are kept: sort only those at or above the cut-off count.
  const cutoff = countAtRank(counts, MAX_CATEGORIES);
  const above: [string, number][] = [];
  const tied: string[] = [];
  for (const entry of counts) {
    if (entry[1] > cutoff) above.push(entry);
    else if (entry[1] === cutoff) tied.push(entry[0]);
  }
  // The default sort compares strings by code unit, as byFrequency's tie-break does.
  return [...byFrequency(above), ...tied.sort().slice(0, MAX_CATEGORIES - above.length)];
}

function byFrequency(entries: [string, number][]): string[] {
  return entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([value]) => value);
}

/** The count of the rank-th most frequent value (1-based). */
function countAtRank(counts: Map<string, number>, rank: number): number {
  const valuesWithCount = new Map<number, number>();
  for (const n of counts.values()) valuesWithCount.set(n, (valuesWithCount.get(n) ?? 0) + 1);
  let seen = 0;
  for (const n of [...valuesWithCount.keys()].sort((a, b) => b - a)) {
    seen += valuesWithCount.get(n)!;
    if (seen >= rank) return n;
  }
  return 0;
}
