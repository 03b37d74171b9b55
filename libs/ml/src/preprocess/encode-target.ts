import type { Task } from '@trainyard/contracts';
import { datasetInvalid } from '../data/dataset-invalid';
import { MlError } from '../errors';
import type { FrameColumn } from '../data/frame';
import { compareLabels, labelText } from './class-labels';

export interface EncodedTarget {
  /** One per kept row: a class index, or the value to regress. */
  labels: Float32Array;
  classLabels: string[] | null;
}

/**
 * Target values of the kept rows (all present) as labels; classes are numbered in sorted label order, or in the order
 * of `fixedLabels` (a parent model's classes), when given, which every row's label must be one of.
 */
export function encodeTarget(column: FrameColumn, rows: ArrayLike<number>, task: Task, fixedLabels: string[] | null = null): EncodedTarget {
  const labels = new Float32Array(rows.length);
  if (task === 'regression') {
    if (column.type === 'string') {
      throw datasetInvalid(`regression needs a numeric target, but "${column.name}" holds text`, { column: column.name });
    }
    for (let i = 0; i < rows.length; i++) labels[i] = column.values[rows[i]];
    return { labels, classLabels: null };
  }
  const texts = Array.from(rows, (row) => labelText(column, row) as string);
  const classLabels = fixedLabels ?? [...new Set(texts)].sort(compareLabels);
  if (fixedLabels) {
    const known = new Set(fixedLabels);
    const unknown = [...new Set(texts.filter((t) => !known.has(t)))];
    if (unknown.length) {
      throw new MlError('INVALID_HYPERPARAMETERS', `target "${column.name}" has classes the parent model does not know (${unknown.slice(0, 5).join(', ')}); its classes are ${fixedLabels.join(', ')}`, {
        unknown: unknown.slice(0, 20),
        classLabels: fixedLabels,
      });
    }
  }
  const index = new Map(classLabels.map((label, i) => [label, i]));
  texts.forEach((text, i) => {
    labels[i] = index.get(text)!;
  });
  return { labels, classLabels };
}
