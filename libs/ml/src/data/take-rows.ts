import type { Frame, FrameColumn } from './frame';

/** The rows at `rows`, in that order, as a new Frame. */
export function takeRows(frame: Frame, rows: ArrayLike<number>): Frame {
  return { rowCount: rows.length, columns: frame.columns.map((c) => takeColumn(c, rows)) };
}

function takeColumn(column: FrameColumn, rows: ArrayLike<number>): FrameColumn {
  if (column.type === 'string') {
    const values = Array.from(rows, (r) => column.values[r]);
    return { ...column, values, nullCount: values.filter((v) => v === null).length };
  }
  const values = Float64Array.from(rows, (r) => column.values[r]);
  let nullCount = 0;
  for (const v of values) if (Number.isNaN(v)) nullCount++;
  return { ...column, values, nullCount };
}
