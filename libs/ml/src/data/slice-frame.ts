import { type Frame, type FrameColumn, countMissing } from './frame';

/** Rows [start, end) as a new Frame, with null counts recomputed for the slice. */
export function sliceFrame(frame: Frame, start: number, end: number): Frame {
  const from = Math.max(0, Math.min(start, frame.rowCount));
  const to = Math.max(from, Math.min(end, frame.rowCount));
  return { rowCount: to - from, columns: frame.columns.map((c) => sliceColumn(c, from, to)) };
}

function sliceColumn(column: FrameColumn, from: number, to: number): FrameColumn {
  if (column.type === 'string') {
    // The slice shares the column's dictionary, values no row of the slice holds included.
    const codes = column.codes.slice(from, to);
    return { ...column, codes, nullCount: countMissing(codes) };
  }
  const values = column.values.slice(from, to);
  let nullCount = 0;
  for (const v of values) if (Number.isNaN(v)) nullCount++;
  return { ...column, values, nullCount };
}
