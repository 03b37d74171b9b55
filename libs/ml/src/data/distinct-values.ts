import type { BlockColumn } from './csv/column-sink';
import type { FrameColumn } from './frame';

/** Distinct values are counted exactly up to this many; past it a column is simply "many". */
export const DISTINCT_CAP = 1000;

/**
 * A column's distinct values in one block, small enough to pass between threads: at most DISTINCT_CAP + 1 of them,
 * `values` null once there were more (or the block mixed text and numbers).
 */
export interface DistinctPiece {
  kind: 'number' | 'string' | null;
  values: (number | string)[] | null;
  mixed: boolean;
}

/**
 * Counts a column's distinct present values as its pieces arrive, exactly up to DISTINCT_CAP: enough to tell a
 * class label (a few values) from an id or a measurement (many), without holding a column's values. Once a
 * column passes the cap it costs nothing more.
 */
export class DistinctValues {
  private values: Set<number | string> | null = new Set();
  /** Whether text and numbers were both met (a column typed differently in different blocks). */
  private mixed = false;
  private kind: 'number' | 'string' | null = null;

  /** The exact count, or null when it passed the cap (or the column mixed types, which makes it unknown). */
  get count(): number | null {
    return this.values && !this.mixed ? this.values.size : null;
  }

  addBlock(piece: BlockColumn, rows: number): void {
    if (!this.values || piece.kind === 'empty') return;
    if (piece.kind === 'string' && piece.codes && piece.dictionary) this.addCodes(piece.codes, rows, (code) => textAt(piece.dictionary!, code));
    else if (piece.numbers) this.addNumbers(piece.numbers, rows);
  }

  /** The values seen so far, to be merged into another count with addPiece (a parser thread's block, say). */
  piece(): DistinctPiece {
    return { kind: this.kind, values: this.values ? [...this.values] : null, mixed: this.mixed };
  }

  addPiece(piece: DistinctPiece): void {
    if (!this.values) return;
    if (piece.kind) this.see(piece.kind);
    if (piece.mixed) this.mixed = true;
    if (!piece.values) return void (this.values = null);
    for (const value of piece.values) {
      this.values.add(value);
      if (this.values.size > DISTINCT_CAP) return void (this.values = null);
    }
  }

  addFrameColumn(column: FrameColumn): void {
    if (!this.values) return;
    if (column.type === 'string') this.addCodes(column.codes, column.codes.length, (code) => column.dictionary.at(code));
    else this.addNumbers(column.values, column.values.length);
  }

  private addNumbers(numbers: ArrayLike<number>, rows: number): void {
    this.see('number');
    const values = this.values!;
    for (let i = 0; i < rows; i++) {
      const v = numbers[i];
      if (v !== v || values.has(v)) continue; // NaN is missing
      values.add(v);
      if (values.size > DISTINCT_CAP) return void (this.values = null);
    }
  }

  private addCodes(codes: Int32Array, rows: number, text: (code: number) => string): void {
    this.see('string');
    const values = this.values!;
    const seen = new Set<number>();
    for (let i = 0; i < rows; i++) {
      const code = codes[i];
      if (code < 0 || seen.has(code)) continue;
      seen.add(code);
      values.add(text(code));
      if (values.size > DISTINCT_CAP) return void (this.values = null);
    }
  }

  private see(kind: 'number' | 'string'): void {
    if (this.kind && this.kind !== kind) this.mixed = true;
    this.kind = kind;
  }
}

/**
 * The piece of a block's string column straight from its dictionary, which holds each present string of the block
 * once (an inspection keeps at most DISTINCT_CAP + 1): no pass over the rows' codes.
 */
export function dictionaryPiece(dictionary: { bytes: Uint8Array; ends: Int32Array }): DistinctPiece {
  const size = dictionary.ends.length;
  return { kind: 'string', values: size > DISTINCT_CAP ? null : Array.from({ length: size }, (_, code) => textAt(dictionary, code)), mixed: false };
}

function textAt(dictionary: { bytes: Uint8Array; ends: Int32Array }, code: number): string {
  const start = code === 0 ? 0 : dictionary.ends[code - 1];
  return Buffer.from(dictionary.bytes.buffer, dictionary.bytes.byteOffset, dictionary.bytes.byteLength).toString('utf8', start, dictionary.ends[code]);
}
