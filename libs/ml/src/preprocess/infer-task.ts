import type { Task } from '@trainyard/contracts';
import type { FrameColumn } from '../data/frame';

/** Integer targets with at most this many distinct values may be classes. */
const MAX_CLASSES = 20;
/** ...and only when the classes are this small a share of the rows, so a count column stays a regression. */
const MAX_CLASS_SHARE = 0.05;

/** Guesses the task from the target: labels and small integer codes are classes, other numbers are regressed. */
export function inferTask(target: FrameColumn): Task {
  if (target.type === 'string' || target.type === 'boolean') return 'classification';
  if (target.type === 'datetime') return 'regression';
  const distinct = new Set<number>();
  let present = 0;
  for (const v of target.values) {
    if (Number.isNaN(v)) continue;
    present++;
    if (!Number.isInteger(v)) return 'regression';
    if (distinct.size <= MAX_CLASSES) distinct.add(v);
  }
  // Two integer values are a binary label whatever the row count; a float column needs that to count.
  if (distinct.size <= 2 && present > 0) return 'classification';
  if (target.type === 'number') return 'regression';
  return distinct.size <= MAX_CLASSES && distinct.size <= present * MAX_CLASS_SHARE ? 'classification' : 'regression';
}
