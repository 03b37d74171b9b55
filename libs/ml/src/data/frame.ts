import type { ColumnSummary } from '@trainyard/contracts';
import { StringDictionary } from './string-dictionary';

export type ColumnType = ColumnSummary['type'];

/** Numeric-backed column: numbers, integers, booleans (0/1) and datetimes (epoch ms); NaN marks a missing value. */
export interface NumericColumn {
  name: string;
  type: 'number' | 'integer' | 'boolean' | 'datetime';
  nullCount: number;
  /** Float64, or Float32 for a float feature column narrowed to what the engines read (narrowFloatColumns). */
  values: Float64Array | Float32Array;
}

/** Text, dictionary-encoded: each row holds the code of its value in the column's dictionary. */
export interface StringColumn {
  name: string;
  type: 'string';
  nullCount: number;
  /**
   * Per row, an index into `dictionary`; -1 when missing. The dictionary may hold values no row uses, and a value
   * under more than one code, so rows are compared by value.
   */
  codes: Int32Array;
  dictionary: StringDictionary;
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

/** The text in one row of a string column, null when missing. */
export function stringAt(column: StringColumn, row: number): string | null {
  const code = column.codes[row];
  return code < 0 ? null : column.dictionary.at(code);
}

/** Every row's text; makes a string per row, so meant for small frames and tests. */
export function stringValues(column: StringColumn): (string | null)[] {
  return Array.from(column.codes, (_, row) => stringAt(column, row));
}

/** Rows of a string column's codes that are missing. */
export function countMissing(codes: Int32Array): number {
  let n = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] < 0) n++;
  return n;
}

/** A string column from one value per row (null when missing). */
export function stringColumn(name: string, values: ArrayLike<string | null>): StringColumn {
  const dictionary = new StringDictionary();
  const codeOf = dictionary.textCoder();
  const codes = new Int32Array(values.length);
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null) nullCount++;
    codes[i] = value === null ? -1 : codeOf(value);
  }
  return { name, type: 'string', nullCount, codes, dictionary };
}
