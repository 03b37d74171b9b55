import type { DataRangeSpec } from '@trainyard/contracts';
import { parseDatetime, parseNumber } from '../data/cell-values';
import { datasetInvalid } from '../data/dataset-invalid';
import { column, type Frame, type FrameColumn } from '../data/frame';
import { MlError } from '../errors';
import { categoryText } from './cell-readers';
import type { ForecastSpec } from './preprocess-plan';
import { sortByTime, timeValues } from './time-order';

/** A training period on the time column, as numbers comparable with timeValues (epoch ms for datetimes). */
export interface TimeBounds {
  from: number;
  to: number;
}

/** A range bound as the time column's number: ISO text as epoch ms, numeric text or a number as itself; null is open. */
export function timeBound(value: string | number | null, open: number): number {
  if (value === null) return open;
  if (typeof value === 'number') return value;
  const ms = parseDatetime(value);
  const n = Number.isNaN(ms) ? parseNumber(value) : ms;
  if (Number.isNaN(n)) throw new MlError('INVALID_HYPERPARAMETERS', `dataRange bound "${value}" is neither an ISO date-time nor a number`);
  return n;
}

export function timeBounds(range: DataRangeSpec): TimeBounds {
  return { from: timeBound(range.from, -Infinity), to: timeBound(range.to, Infinity) };
}

/**
 * The target column the model learns from: restricted to rows inside `bounds` (others become missing, so they are
 * not trained or tested on, though their features still feed time features), and, with a forecast, shifted so each
 * row holds the target `horizon` rows later in time order within its series (missing where there is none).
 */
export function learnedTarget(frame: Frame, target: FrameColumn, opts: { timeColumn: string | null; bounds: TimeBounds | null; forecast: ForecastSpec | null }): FrameColumn {
  if (!opts.bounds && !opts.forecast) return target;
  const timeColumn = opts.forecast?.timeColumn ?? opts.timeColumn;
  if (!timeColumn) throw new MlError('INVALID_HYPERPARAMETERS', 'dataRange and validation.horizon need validation.timeColumn: the column that orders rows in time');
  const times = timeValues(frame, timeColumn);
  const rows: number[] = [];
  for (let r = 0; r < frame.rowCount; r++) {
    const t = times[r];
    if (!opts.bounds || (t >= opts.bounds.from && t <= opts.bounds.to)) rows.push(r);
  }
  // Each kept row's source row: itself, or the row `horizon` steps later in its series.
  const source = new Int32Array(frame.rowCount).fill(-1);
  if (!opts.forecast) {
    for (const r of rows) source[r] = r;
  } else {
    const { horizon, seriesColumn } = opts.forecast;
    for (const members of seriesOf(frame, seriesColumn, sortByTime(rows, times))) {
      for (let i = 0; i + horizon < members.length; i++) source[members[i]] = members[i + horizon];
    }
  }
  return reindexed(target, source);
}

/** Rows in time order, grouped by series (missing series values form one series of their own), first-seen order. */
function seriesOf(frame: Frame, seriesColumn: string | null, ordered: Int32Array): number[][] {
  if (!seriesColumn) return [Array.from(ordered)];
  const series = column(frame, seriesColumn);
  if (!series) throw datasetInvalid(`series column "${seriesColumn}" is not in the dataset`, { column: seriesColumn });
  const groups = new Map<string | null, number[]>();
  for (const r of ordered) {
    const key = categoryText(series, r);
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.values()];
}

/** The column with row r holding the value of row source[r] (missing where source is -1). */
function reindexed(target: FrameColumn, source: Int32Array): FrameColumn {
  if (target.type === 'string') {
    const codes = Int32Array.from(source, (s) => (s < 0 ? -1 : target.codes[s]));
    return { ...target, codes, nullCount: codes.reduce((n, c) => n + (c < 0 ? 1 : 0), 0) };
  }
  const values = Float64Array.from(source, (s) => (s < 0 ? NaN : target.values[s]));
  return { ...target, values, nullCount: values.reduce((n, v) => n + (Number.isNaN(v) ? 1 : 0), 0) };
}
