import type { ColumnType, FrameColumn } from '../frame';
import type { BlockColumn } from './column-sink';

/** One parsed block, with what it takes to read it again: where it sits in the file and how many rows count. */
export interface ParsedBlock {
  offset: number;
  start: number;
  length: number;
  rows: number;
  /** Fewer rows are kept than were parsed (a row limit): null counts must be taken again. */
  truncated: boolean;
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
    // Pushed, not preallocated: V8 keeps `new Array(n)` of 100k or more as a slow dictionary.
    const values: (string | null)[] = [];
    for (const block of blocks) {
      const { codes, dictionary } = block.columns[index];
      for (let i = 0; i < block.rows; i++) {
        const code = codes ? codes[i] : -1;
        if (code < 0) nullCount++;
        values.push(code < 0 ? null : dictionary![code]);
      }
      block.columns[index] = { kind: 'empty', nullCount: 0 };
    }
    return { name, type, nullCount, values };
  }
  const values = new Float64Array(rowCount);
  for (const block of blocks) {
    const { numbers } = block.columns[index];
    if (numbers) values.set(numbers.subarray(0, block.rows), at);
    else values.fill(NaN, at, at + block.rows);
    at += block.rows;
    if (!block.truncated) nullCount += block.columns[index].nullCount;
    else for (let i = at - block.rows; i < at; i++) if (Number.isNaN(values[i])) nullCount++;
    block.columns[index] = { kind: 'empty', nullCount: 0 };
  }
  return { name, type, nullCount, values };
}
