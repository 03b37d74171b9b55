import type { ColumnType, FrameColumn } from '../frame';
import { StringDictionary } from '../string-dictionary';
import type { BlockColumn } from './column-sink';

/** The file-wide type of a column from its blocks' types: integer widens to number, any other mix is string. */
export function settleColumnType(kinds: Iterable<BlockColumn['kind']>): ColumnType {
  const present = new Set([...kinds].filter((k) => k !== 'empty'));
  if (present.size === 0) return 'string';
  if (present.size === 1) return [...present][0] as ColumnType;
  if ([...present].every((k) => k === 'integer' || k === 'number')) return 'number';
  return 'string';
}

/**
 * Builds one frame column from its blocks' pieces as they arrive in file order, so each block's memory is
 * released as soon as it is copied. String pieces' dictionaries are laid end to end, without making a string per
 * cell. A column whose pieces mix text and typed values must be read again as text (finish says so).
 */
export class ColumnAssembler {
  private readonly kinds = new Set<BlockColumn['kind']>();
  private rows = 0;
  private nullCount = 0;
  private capacity = 0;
  private numbers: Float64Array | null = null;
  private codes: Int32Array | null = null;
  private dictionary: StringDictionary | null = null;

  constructor(readonly name: string) {}

  /** Room for this many rows in all, so a good estimate saves regrowing. */
  reserve(rows: number): void {
    if (rows > this.capacity) this.resize(rows);
  }

  /** Appends a block's piece; `rows` may be fewer than it holds (a row limit), and then nulls are counted here. */
  add(piece: BlockColumn, rows: number, truncated: boolean): void {
    this.kinds.add(piece.kind);
    this.reserve(this.rows + rows);
    const at = this.rows;
    this.rows += rows;
    if (piece.kind === 'empty') {
      this.numbers?.fill(NaN, at, at + rows);
      this.codes?.fill(-1, at, at + rows);
      this.nullCount += rows;
    } else if (piece.kind === 'string') {
      this.addCodes(piece, at, rows);
    } else {
      this.addNumbers(piece, at, rows, truncated);
    }
  }

  /** The column, or null when text and typed pieces met and the column must be read again as text. */
  finish(): FrameColumn | null {
    const type = settleColumnType(this.kinds);
    const { name, nullCount, rows } = this;
    if (type === 'string') {
      if (this.numbers) return null;
      const codes = this.codes ? trimmed(this.codes, rows) : new Int32Array(rows).fill(-1);
      return { name, type, nullCount, codes, dictionary: this.dictionary ?? new StringDictionary() };
    }
    return { name, type, nullCount, values: trimmed(this.numbers!, rows) };
  }

  private addNumbers(piece: BlockColumn, at: number, rows: number, truncated: boolean): void {
    if (!this.numbers) this.numbers = new Float64Array(this.capacity).fill(NaN, 0, at);
    this.numbers.set(piece.numbers!.subarray(0, rows), at);
    if (!truncated) {
      this.nullCount += piece.nullCount;
      return;
    }
    for (let i = at; i < at + rows; i++) if (Number.isNaN(this.numbers[i])) this.nullCount++;
  }

  private addCodes(piece: BlockColumn, at: number, rows: number): void {
    if (!this.codes) this.codes = new Int32Array(this.capacity).fill(-1, 0, at);
    this.dictionary ??= new StringDictionary();
    // Blocks keep their own dictionaries end to end: merging a million-value id column by hashing would cost more
    // than the rest of the read, and values are compared as values, never by code.
    const base = this.dictionary.append(piece.dictionary!);
    const blockCodes = piece.codes!;
    const codes = this.codes;
    let nulls = 0;
    for (let i = 0; i < rows; i++) {
      const code = blockCodes[i];
      if (code < 0) nulls++;
      codes[at + i] = code < 0 ? -1 : base + code;
    }
    this.nullCount += nulls;
  }

  private resize(rows: number): void {
    // Half again as much when regrowing, so an underestimate costs few copies.
    const capacity = this.capacity === 0 ? rows : Math.max(rows, Math.ceil(this.capacity * 1.5));
    if (this.numbers) this.numbers = grown(new Float64Array(capacity), this.numbers, this.rows);
    if (this.codes) this.codes = grown(new Int32Array(capacity), this.codes, this.rows);
    this.capacity = capacity;
  }
}

function grown<T extends Float64Array | Int32Array>(bigger: T, old: T, used: number): T {
  bigger.set(old.subarray(0, used));
  return bigger;
}

/** The first `rows` values; a copy when the spare room is worth giving back. */
function trimmed<T extends Float64Array | Int32Array>(values: T, rows: number): T {
  if (values.length === rows) return values;
  return (values.length - rows > rows / 16 ? values.slice(0, rows) : values.subarray(0, rows)) as T;
}
