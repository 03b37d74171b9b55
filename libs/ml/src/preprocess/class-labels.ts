import { cellValue } from '../data/frame-records';
import type { FrameColumn } from '../data/frame';

/** A target cell as its class label text; null when missing. */
export function labelText(column: FrameColumn, row: number): string | null {
  const value = cellValue(column, row);
  return value === null ? null : String(value);
}

/** Numeric labels in numeric order ("2" before "10"), before text labels in code-unit order; locale-independent. */
export function compareLabels(a: string, b: string): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb || (a < b ? -1 : a > b ? 1 : 0);
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function asNumber(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}
