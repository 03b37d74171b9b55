import { cellValue } from '../data/frame-records';
import { type FrameColumn, stringAt } from '../data/frame';

/** A cell as the text a category vocabulary is keyed by; null when missing. */
export function categoryText(column: FrameColumn, row: number): string | null {
  const value = column.type === 'string' ? stringAt(column, row) : cellValue(column, row);
  return value === null ? null : String(value);
}

/** Reads a numeric value whether the frame typed the column as numbers or left it as text. */
export function numericReader(column: FrameColumn, parse: (raw: string) => number): (row: number) => number {
  if (column.type !== 'string') return (row) => column.values[row];
  return (row) => {
    const v = stringAt(column, row);
    return v === null ? NaN : parse(v);
  };
}
