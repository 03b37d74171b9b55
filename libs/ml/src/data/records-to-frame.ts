import type { ColumnSummary } from '@trainyard/contracts';
import { isMissing, parseBoolean, parseDatetime, parseNumber } from './cell-values';
import { type ColumnType, type Frame, type FrameColumn, stringColumn } from './frame';

/**
 * Builds a Frame from JSON records (e.g. prediction requests) with the given column types;
 * absent keys, nulls and unparseable values become missing rather than errors.
 */
export function recordsToFrame(records: readonly Record<string, unknown>[], columns: readonly Pick<ColumnSummary, 'name' | 'type'>[]): Frame {
  const frameColumns = columns.map(({ name, type }): FrameColumn => {
    if (type === 'string') return stringColumn(name, records.map((r) => toText(r[name])));
    const values = new Float64Array(records.length);
    let nullCount = 0;
    records.forEach((r, i) => {
      values[i] = toNumber(r[name], type);
      if (Number.isNaN(values[i])) nullCount++;
    });
    return { name, type, nullCount, values };
  });
  return { rowCount: records.length, columns: frameColumns };
}

function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const text = typeof v === 'string' ? v : String(v);
  return isMissing(text) ? null : text;
}

function toNumber(v: unknown, type: Exclude<ColumnType, 'string'>): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (v instanceof Date) return v.getTime();
  if (typeof v !== 'string') return NaN;
  if (type === 'boolean') return parseBoolean(v);
  if (type === 'datetime') return parseDatetime(v);
  return parseNumber(v);
}
