import { type DistinctPiece, DistinctValues, dictionaryPiece } from '../distinct-values';
import type { BlockColumn } from './column-sink';
import type { CsvBlockResult } from './parse-csv-block';

/** What an inspection needs of a block's column: its kind, its missing cells and its distinct values up to the cap. */
export interface ColumnDigest {
  kind: BlockColumn['kind'];
  nullCount: number;
  distinct: DistinctPiece;
}

/**
 * The block's columns reduced to their digests. A parser thread sends these back instead of the values: a few
 * kilobytes per block rather than its typed columns, which the receiving thread would only count and drop.
 */
export function digestColumns(result: CsvBlockResult, manyDistinct: readonly number[] = []): CsvBlockResult {
  const many = new Set(manyDistinct);
  const digests = result.columns.map((column, i): ColumnDigest => {
    if (many.has(i)) return { kind: column.kind, nullCount: column.nullCount, distinct: { kind: null, values: null, mixed: false } };
    if (column.kind === 'string' && column.dictionary) return { kind: column.kind, nullCount: column.nullCount, distinct: dictionaryPiece(column.dictionary) };
    const distinct = new DistinctValues();
    distinct.addBlock(column, result.rows);
    return { kind: column.kind, nullCount: column.nullCount, distinct: distinct.piece() };
  });
  return { ...result, columns: [], digests };
}
