import type { Task } from '@trainyard/contracts';
import type { Frame, FrameColumn, StringColumn } from '../data/frame';
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
      return { column: column.name, kind: 'category', categories: vocabulary(column, fitRows) };
    case 'boolean':
      return { column: column.name, kind: 'boolean' };
    case 'datetime':
      return { column: column.name, kind: 'datetime', parts: [...DATETIME_PARTS] };
    default:
      return { column: column.name, kind: 'numeric' };
  }
}

/** Categories by descending frequency, ties in code-unit order, so codes are deterministic; "" is missing, as in CSV. */
function vocabulary({ codes, dictionary }: StringColumn, rows: ArrayLike<number>): string[] {
  const perCode = new Int32Array(dictionary.size);
  for (let i = 0; i < rows.length; i++) {
    const code = codes[rows[i]];
    if (code >= 0) perCode[code]++;
  }
  // Counted by code, then by value, since a value may stand under several codes.
  const counts = new Map<string, number>();
  for (let code = 0; code < perCode.length; code++) {
    if (perCode[code] === 0) continue;
    const value = dictionary.at(code);
    if (value !== '') counts.set(value, (counts.get(value) ?? 0) + perCode[code]);
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
  return [...byFrequency(above), ...smallest(tied, MAX_CATEGORIES - above.length)];
}

/** The k smallest strings in code-unit order, sorted; a bounded selection, since an id column ties a million values. */
function smallest(values: string[], k: number): string[] {
  if (values.length <= 4 * k) return values.sort().slice(0, k);
  // Keeps the k smallest in a max-heap: heap[0] is the largest of them.
  const heap: string[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < heap.length && heap[l] > heap[top]) top = l;
      if (r < heap.length && heap[r] > heap[top]) top = r;
      if (top === i) return;
      [heap[i], heap[top]] = [heap[top], heap[i]];
      i = top;
    }
  };
  for (const v of values) {
    if (heap.length < k) {
      heap.push(v);
      for (let i = heap.length - 1; i > 0 && heap[(i - 1) >> 1] < heap[i]; i = (i - 1) >> 1) [heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1], heap[i]];
    } else if (k > 0 && v < heap[0]) {
      heap[0] = v;
      down(0);
    }
  }
  return heap.sort();
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
