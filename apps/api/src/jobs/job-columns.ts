import type { Dataset } from '@trainyard/db';
import { validationFailed, type FieldError } from '../common/api-error';
import type { ParsedJobRequest } from './training-job.dto';

/** Edit distance, for suggesting the column a user meant. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[y.length];
}

/** Up to three existing names nearest to `wanted`. */
export function closestNames(wanted: string, names: readonly string[]): string[] {
  return [...names]
    .map((name) => ({ name, d: distance(wanted, name) }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((c) => c.name);
}

/**
 * Every column a job names must be a column of its dataset: a 400 at submit naming the field and the closest
 * existing names, instead of a job that is accepted and fails later.
 */
export function checkJobColumns(spec: ParsedJobRequest['spec'], dataset: Pick<Dataset, 'name' | 'version' | 'columns'>, prefix = ''): void {
  const names = dataset.columns.map((c) => c.name);
  const known = new Set(names);
  const errors: (FieldError & { closest: string[] })[] = [];
  const check = (field: string, column: string) => {
    if (known.has(column)) return;
    const closest = closestNames(column, names);
    errors.push({ field: prefix + field, message: `dataset ${dataset.name} v${dataset.version} has no column "${column}"; closest: ${closest.join(', ')}`, closest });
  };
  check('target', spec.target);
  spec.features?.forEach((c, i) => check(`features[${i}]`, c));
  spec.exclude.forEach((c, i) => check(`exclude[${i}]`, c));
  if (spec.validation.timeColumn) check('validation.timeColumn', spec.validation.timeColumn);
  if (spec.validation.seriesColumn) check('validation.seriesColumn', spec.validation.seriesColumn);
  spec.preprocessing?.timeFeatures?.columns.forEach((c, i) => check(`preprocessing.timeFeatures.columns[${i}]`, c));
  const timeType = dataset.columns.find((c) => c.name === spec.validation.timeColumn)?.type;
  if (spec.dataRange && (timeType === 'number' || timeType === 'integer')) {
    // A numeric time column is compared with numbers: a date-time bound would be read as epoch milliseconds.
    for (const side of ['from', 'to'] as const) {
      const bound = spec.dataRange[side];
      if (typeof bound === 'string' && Number.isNaN(Number(bound))) {
        errors.push({ field: `${prefix}dataRange.${side}`, message: `time column "${spec.validation.timeColumn}" holds numbers; give a number`, closest: [] });
      }
    }
  }
  if (errors.length) throw validationFailed(errors);
}

/** More distinct target values than this are not classes but a quantity (or an identifier). */
export const MAX_CLASSES = 100;

/**
 * A target the task cannot learn from is refused at submit with the reason, instead of a job that trains something
 * useless (a continuous column as hundreds of classes) or fails later: classification needs labels, at most
 * MAX_CLASSES of them; regression needs numbers. Without a distinct count only the column type decides.
 */
export function checkTargetForTask(spec: ParsedJobRequest['spec'], dataset: Pick<Dataset, 'name' | 'columns'>, prefix = ''): void {
  const column = dataset.columns.find((c) => c.name === spec.target);
  if (!column) return;
  const problem = targetProblem(spec.task, column);
  if (problem) throw validationFailed([{ field: `${prefix}target`, message: `${spec.target} (${column.type}${countOf(column)} in ${dataset.name}): ${problem}` }]);
}

function targetProblem(task: ParsedJobRequest['spec']['task'], column: Dataset['columns'][number]): string | null {
  const distinct = column.distinct;
  const tooMany = distinct === null || (distinct !== undefined && distinct > MAX_CLASSES);
  if (task === 'regression') {
    return column.type === 'string' ? 'regression needs a numeric target, and this column holds text; use task classification for labels' : null;
  }
  if (task === 'classification') {
    if (column.type === 'datetime') return 'classification needs labels, and this column holds timestamps';
    // A float column with two values (0.0 / 1.0) is a binary label; any other is a measurement.
    if (column.type === 'number' && !(distinct !== undefined && distinct !== null && distinct <= 2)) {
      return 'classification needs labels, and this column holds continuous numbers; use task regression, or bin the values into classes first';
    }
  }
  // Inferred tasks learn text targets as classes: an identifier-like text column would make one class per row.
  if ((task === 'classification' || (task === null && column.type === 'string')) && tooMany) {
    return `classification learns at most ${MAX_CLASSES} classes, and this column has more distinct values; use task regression for a quantity, or choose a label column`;
  }
  return null;
}

function countOf(column: Dataset['columns'][number]): string {
  if (column.distinct === undefined) return '';
  return column.distinct === null ? ', over 1000 distinct values' : `, ${column.distinct} distinct values`;
}
