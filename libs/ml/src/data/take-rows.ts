import { type Frame, type FrameColumn, countMissing } from './frame';

/** The rows at `rows`, in that order, as a new Frame. */
export function takeRows(frame: Frame, rows: ArrayLike<number>): Frame {
  return { rowCount: rows.length, columns: frame.columns.map((c) => takeColumn(c, rows)) };
}

function takeColumn(column: FrameColumn, rows: ArrayLike<number>): FrameColumn {
  if (column.type === 'string') {
    const codes = Int32Array.from(rows, (r) => column.codes[r]);
    return { ...column, codes, nullCount: countMissing(codes) };
  }
  const values = Float64Array.from(rows, (r) => column.values[r]);
  let nullCount = 0;
  for (const v of values) if (Number.isNaN(v)) nullCount++;
  return { ...column, values, nullCount };
}
