import type { ColumnType, FrameColumn } from '../frame';
import type { BlockColumn } from './column-sink';

/** One parsed block, with what it takes to read it again: where it sits in the file and how many rows count. */
export interface ParsedBlock {
  offset: number;
  start: number;
  length: number;
  rows: number;
  columns: BlockColumn[];
}

/** The file-wide type of a column from its blocks' types: integer widens to number, any other mix is string. */
export function settleColumnType(kinds: readonly BlockColumn['kind'][]): ColumnType {
  const present = new Set(kinds.filter((k) => k !== 'empty'));
  if (present.size === 0) return 'string';
  if (present.size === 1) return [...present][0] as ColumnType;
  if ([...present].every((k) => k === 'integer' || k === 'number')) return 'number';
  return 'string';
}

/** Concatenates one column's pieces, dropping each block's piece once copied so memory peaks near the result. */
export function joinColumn(name: string, type: ColumnType, blocks: ParsedBlock[], index: number, rowCount: number): FrameColumn {
  let at = 0;
  let nullCount = 0;
  if (type === 'string') {
    const values = new Array<string | null>(rowCount);
    for (const block of blocks) {
      const { codes, dictionary } = block.columns[index];
      for (let i = 0; i < block.rows; i++) {
        const code = codes ? codes[i] : -1;
        if (code < 0) nullCount++;
        values[at++] = code < 0 ? null : dictionary![code];
      }
      block.columns[index] = { kind: 'empty' };
    }
    return { name, type, nullCount, values };
  }
  const values = new Float64Array(rowCount);
  for (const block of blocks) {
    const { numbers } = block.columns[index];
    if (numbers) values.set(numbers.subarray(0, block.rows), at);
    else values.fill(NaN, at, at + block.rows);
    at += block.rows;
    block.columns[index] = { kind: 'empty' };
  }
  for (let i = 0; i < rowCount; i++) if (Number.isNaN(values[i])) nullCount++;
  return { name, type, nullCount, values };
}
