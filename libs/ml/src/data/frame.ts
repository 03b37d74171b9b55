import type { ColumnSummary } from '@trainyard/contracts';

export type ColumnType = ColumnSummary['type'];

/** Numeric-backed column: numbers, integers, booleans (0/1) and datetimes (epoch ms); NaN marks a missing value. */
export interface NumericColumn {
  name: string;
  type: 'number' | 'integer' | 'boolean' | 'datetime';
  nullCount: number;
  values: Float64Array;
}

export interface StringColumn {
  name: string;
  type: 'string';
  nullCount: number;
  values: (string | null)[];
}

export type FrameColumn = NumericColumn | StringColumn;

/** A typed, column-major table held in memory. */
export interface Frame {
  rowCount: number;
  columns: FrameColumn[];
}

export function column(frame: Frame, name: string): FrameColumn | undefined {
  return frame.columns.find((c) => c.name === name);
}

export function summarize(frame: Frame): ColumnSummary[] {
  return frame.columns.map(({ name, type, nullCount }) => ({ name, type, nullCount }));
}
