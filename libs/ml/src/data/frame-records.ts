import { type Frame, type FrameColumn, stringAt } from './frame';

/** One JSON-ready record per row: numbers, booleans, ISO strings for datetimes, null when missing. */
export function frameRecords(frame: Frame): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < frame.rowCount; i++) {
    const row: Record<string, unknown> = {};
    for (const column of frame.columns) row[column.name] = cellValue(column, i);
    rows.push(row);
  }
  return rows;
}

export function cellValue(column: FrameColumn, row: number): string | number | boolean | null {
  if (column.type === 'string') return stringAt(column, row);
  const v = column.values[row];
  if (Number.isNaN(v)) return null;
  if (column.type === 'boolean') return v !== 0;
  if (column.type === 'datetime') return new Date(v).toISOString();
  return v;
}
