import { isMissing, parseBoolean, parseDatetime, parseInteger, parseNumber } from '../cell-values';
import type { ColumnType } from '../frame';
import { type DictionaryParts, FNV_BASIS, FNV_PRIME, StringDictionary } from '../string-dictionary';
import { booleanFromBytes, dateMs, datetimeFromBytes, isMissingBytes, numberFromBytes, numberShape, slowNumber } from './cell-bytes';
import { type ColumnArrays, FRESH_ARRAYS } from './spare-buffers';

/** One column of one block: 'empty' when every cell was missing, so the other blocks decide its type. */
export interface BlockColumn {
  kind: ColumnType | 'empty';
  nullCount: number;
  /** Numeric kinds: one value per row (NaN when missing); may be longer than the block's rows. */
  numbers?: Float64Array;
  /** Strings: an index into `dictionary` per row, -1 when missing (UNKEPT_STRING past an inspection's cap). */
  codes?: Int32Array;
  /** Strings: the block's distinct values as bytes, so no string is made until the frame is read. */
  dictionary?: DictionaryParts;
}

/** The code of a present string that an inspection did not keep: its column already passed the distinct cap. */
const UNKEPT_STRING = -2;

/** The buffers behind a block's columns: what moves between threads, and what is handed back to be reused. */
export function columnBuffers(columns: readonly BlockColumn[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const c of columns) {
    for (const array of [c.numbers, c.codes, c.dictionary?.bytes, c.dictionary?.ends]) if (array) buffers.add(array.buffer as ArrayBuffer);
  }
  return [...buffers];
}

/**
 * What a column has held so far, named by KIND_NAMES; DEMOTED: a typed column met a cell of another type, so its
 * text must be read again from the start of the block.
 */
const enum Kind {
  EMPTY = 0,
  INTEGER = 1,
  NUMBER = 2,
  BOOLEAN = 3,
  DATETIME = 4,
  STRING = 5,
  DEMOTED = 6,
}

/** Bytes the parser tests for: as a const enum each use compiles to a literal, not a load of a module variable. */
const enum Byte {
  LF = 0x0a,
  CR = 0x0d,
  QUOTE = 0x22,
  DOT = 0x2e,
  MINUS = 0x2d,
  ZERO = 0x30,
}
const KIND_NAMES = ['empty', 'integer', 'number', 'boolean', 'datetime', 'string'] as const;

/** After this many strings in a block, a column holding at least UNIQUE_SHARE distinct values stops looking them up. */
const UNIQUE_PROBE = 4096;
const UNIQUE_SHARE = 0.9;
const TWO_53 = 2 ** 53;
const EXACT_POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

// Module-level copies: a hot loop reads these as constants, not as properties of another module's exports.
const HASH_BASIS = FNV_BASIS;
const HASH_PRIME = FNV_PRIME;

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/**
 * Types one column's cells as they stream past, in the order of cell-values' inference: the first present
 * cell picks integer, number, boolean, datetime or string, and integer widens to number. Any other mismatch
 * makes the column a string column, whose text the block parser then reads again.
 */
export class ColumnSink {
  private kind: Kind = Kind.EMPTY;
  private rows = 0;
  private nullCount = 0;
  private numbers: Float64Array | null = null;
  private codes: Int32Array | null = null;
  private dictionary: StringDictionary | null = null;
  /** Present strings so far, and whether they are stored without a lookup (see pushString). */
  private strings = 0;
  private unique = false;
  /** Whether a string is looked up in the dictionary, and so needs its hash: not once unique, nor past the cap. */
  private lookups = true;

  /** `capacity`: the most rows the block can hold (its line count), so columns are allocated once. */
  constructor(
    private readonly delimiter: number,
    private readonly capacity: number,
    asString: boolean,
    private readonly arrays: ColumnArrays = FRESH_ARRAYS,
    /** Distinct strings kept past which no more are (CsvBlockOptions.distinctCap); Infinity when reading. */
    private readonly keepAtMost = Infinity,
  ) {
    if (asString) this.becomeString();
  }

  get demoted(): boolean {
    return this.kind === Kind.DEMOTED;
  }

  /**
   * Reads the unquoted cell starting at b[i] and returns where it ends: at the delimiter or LF (a CR before
   * the LF is consumed), or -1 when it holds a quote. The block ends in a LF, so no scan needs a bounds check.
   * Number and string cells are typed in the pass that finds their end; everything unusual goes through push().
   */
  read(b: Uint8Array, i: number): number {
    if (this.kind === Kind.INTEGER || this.kind === Kind.NUMBER) return this.readNumber(b, i);
    if (this.kind === Kind.STRING) return this.readString(b, i);
    if (this.kind === Kind.DATETIME) return this.readDate(b, i);
    if (this.kind === Kind.BOOLEAN) return this.readBoolean(b, i);
    return this.readOther(b, i);
  }

  /** `YYYY-MM-DD` ending the cell, the usual date shape, parsed in place; every other shape takes the general path. */
  private readDate(b: Uint8Array, start: number): number {
    const e = start + 10;
    const after = b[e];
    if ((after === this.delimiter || after === Byte.LF || (after === Byte.CR && b[e + 1] === Byte.LF)) && b[start + 4] === Byte.MINUS && b[start + 7] === Byte.MINUS) {
      const ms = dateMs(b, start);
      if (ms === ms) {
        this.pushNumber(this.rows++, ms);
        return after === Byte.CR ? e + 1 : e;
      }
    }
    return this.readBooleanOrDatetime(b, start);
  }

  /** `true` / `false` ending the cell, parsed in place; other spellings take the general path. */
  private readBoolean(b: Uint8Array, start: number): number {
    const c = b[start];
    const e = c === 0x74 ? start + 4 : c === 0x66 ? start + 5 : -1;
    if (e > 0) {
      const after = b[e];
      if (after === this.delimiter || after === Byte.LF) {
        const yes = c === 0x74 && b[start + 1] === 0x72 && b[start + 2] === 0x75 && b[start + 3] === 0x65;
        const no = c === 0x66 && b[start + 1] === 0x61 && b[start + 2] === 0x6c && b[start + 3] === 0x73 && b[start + 4] === 0x65;
        if (yes || no) {
          this.pushNumber(this.rows++, yes ? 1 : 0);
          return e;
        }
      }
    }
    return this.readBooleanOrDatetime(b, start);
  }

  /** Plain cells parse straight from their bytes; padded, quoted-looking or odd ones take push()'s full path. */
  private readBooleanOrDatetime(b: Uint8Array, start: number): number {
    const delimiter = this.delimiter;
    let i = start;
    for (let c = b[i]; c !== delimiter && c !== Byte.LF; c = b[++i]) if (c === Byte.QUOTE) return -1;
    const value = i === start ? NaN : this.kind === Kind.BOOLEAN ? booleanFromBytes(b, start, i) : datetimeFromBytes(b, start, i);
    if (Number.isNaN(value)) this.push(b, start, i > start && b[i - 1] === Byte.CR && b[i] === Byte.LF ? i - 1 : i, false);
    else this.pushNumber(this.rows++, value);
    return i;
  }

  private readOther(b: Uint8Array, start: number): number {
    const delimiter = this.delimiter;
    let i = start;
    for (let c = b[i]; c !== delimiter && c !== Byte.LF; c = b[++i]) if (c === Byte.QUOTE) return -1;
    this.push(b, start, i > start && b[i - 1] === Byte.CR && b[i] === Byte.LF ? i - 1 : i, false);
    return i;
  }

  private readString(b: Uint8Array, start: number): number {
    const delimiter = this.delimiter;
    let i = start;
    let hash = HASH_BASIS;
    if (!this.lookups) {
      for (let c = b[i]; c !== delimiter && c !== Byte.LF; c = b[++i]) if (c === Byte.QUOTE) return -1;
    } else {
      for (let c = b[i]; c !== delimiter && c !== Byte.LF; c = b[++i]) {
        if (c === Byte.QUOTE) return -1;
        hash = Math.imul(hash ^ c, HASH_PRIME);
      }
    }
    if (i === start) {
      this.pushMissing(this.rows++);
      return i;
    }
    const first = b[start];
    const last = b[i - 1];
    // Edges that might be trimmed (spaces, CR, Unicode) take push()'s full path.
    if (isSpace(first) || isSpace(last) || first >= 0x80 || last >= 0x80) {
      this.push(b, start, last === Byte.CR && b[i] === Byte.LF ? i - 1 : i, false);
      return i;
    }
    // Short cells may be missing-value tokens (NA, null, ...); with no space to trim, that is all push() would check.
    if (i - start <= 4 && isMissingBytes(b, start, i)) this.pushMissing(this.rows++);
    else this.pushString(this.rows++, b, start, i, hash);
    return i;
  }

  /**
   * A number cell in one pass, its mantissa in int32 arithmetic while it has at most nine digits (wideNumber takes
   * longer ones); anything off the plain grammar (spaces, tokens, exponents) goes to readOther.
   */
  private readNumber(b: Uint8Array, start: number): number {
    let i = start;
    let c = b[i];
    const negative = c === 0x2d;
    if (negative || c === 0x2b) c = b[++i];
    const digitsStart = i;
    let mantissa = 0;
    for (; (c - Byte.ZERO) >>> 0 < 10; c = b[++i]) mantissa = (mantissa * 10 + (c - Byte.ZERO)) | 0;
    let digits = i - digitsStart;
    let fraction = 0;
    const dotted = c === Byte.DOT;
    if (dotted) {
      const dot = i;
      for (c = b[++i]; (c - Byte.ZERO) >>> 0 < 10; c = b[++i]) mantissa = (mantissa * 10 + (c - Byte.ZERO)) | 0;
      fraction = i - dot - 1;
      digits += fraction;
    }
    const cellEnd = i;
    if (c === Byte.CR && b[i + 1] === Byte.LF) c = b[++i];
    if (c !== this.delimiter && c !== Byte.LF) return this.readOther(b, start);
    if (cellEnd === start) {
      this.nullCount++;
      this.pushNumber(this.rows++, NaN);
      return i;
    }
    if (digits === 0) return this.readOther(b, start);
    let value: number;
    if (digits > 9) {
      // The int32 mantissa has wrapped: read the digits again in float64.
      value = wideNumber(b, start, cellEnd);
      if (!numberShape.integral) this.kind = Kind.NUMBER;
    } else {
      const magnitude = fraction === 0 ? mantissa : mantissa / EXACT_POW10[fraction];
      value = negative ? -magnitude : magnitude;
      if (dotted) this.kind = Kind.NUMBER;
    }
    this.pushNumber(this.rows++, value);
    return i;
  }

  /** The raw cell b[s, e); `escaped` when it was quoted and holds doubled quotes. */
  push(b: Uint8Array, s: number, e: number, escaped: boolean): void {
    const row = this.rows++;
    if (this.kind === Kind.DEMOTED) return;
    if (escaped) return this.pushText(row, decode(b, s, e).replaceAll('""', '"'));
    let ts = s;
    let te = e;
    while (ts < te && isSpace(b[ts])) ts++;
    while (te > ts && isSpace(b[te - 1])) te--;
    // Non-ASCII at an edge may be Unicode whitespace, which only the string path trims.
    if (ts < te && (b[ts] >= 0x80 || b[te - 1] >= 0x80)) return this.pushText(row, decode(b, s, e));
    if (isMissingBytes(b, ts, te)) return this.pushMissing(row);
    if (this.kind === Kind.STRING) return this.pushString(row, b, s, e, null);
    const value = this.parseFast(b, ts, te);
    if (Number.isNaN(value)) return this.pushText(row, decode(b, s, e));
    this.pushNumber(row, value);
  }

  finish(): BlockColumn {
    const { nullCount, kind } = this;
    if (kind === Kind.STRING) return { kind: 'string', nullCount, codes: this.codes!, dictionary: this.dictionary!.toParts() };
    if (kind === Kind.EMPTY || kind === Kind.DEMOTED) return { kind: 'empty', nullCount };
    return { kind: KIND_NAMES[kind], nullCount, numbers: this.numbers! };
  }

  private parseFast(b: Uint8Array, s: number, e: number): number {
    switch (this.kind) {
      case Kind.INTEGER: {
        const value = numberFromBytes(b, s, e);
        if (!numberShape.integral && !Number.isNaN(value)) this.kind = Kind.NUMBER;
        return value;
      }
      case Kind.NUMBER:
        return numberFromBytes(b, s, e);
      case Kind.BOOLEAN:
        return booleanFromBytes(b, s, e);
      case Kind.DATETIME:
        return datetimeFromBytes(b, s, e);
      default:
        return this.classifyFast(b, s, e);
    }
  }

  private classifyFast(b: Uint8Array, s: number, e: number): number {
    let value = numberFromBytes(b, s, e);
    if (!Number.isNaN(value)) return this.becomeNumeric(numberShape.integral ? Kind.INTEGER : Kind.NUMBER, value);
    value = booleanFromBytes(b, s, e);
    if (!Number.isNaN(value)) return this.becomeNumeric(Kind.BOOLEAN, value);
    value = datetimeFromBytes(b, s, e);
    if (!Number.isNaN(value)) return this.becomeNumeric(Kind.DATETIME, value);
    return NaN;
  }

  /** The string path, exact by definition: cells the fast path declined, quoted text and non-ASCII edges. */
  private pushText(row: number, text: string): void {
    if (isMissing(text)) return this.pushMissing(row);
    if (this.kind === Kind.EMPTY) this.classifyText(text);
    let value = NaN;
    switch (this.kind) {
      case Kind.STRING: {
        const bytes = Buffer.from(text);
        return this.pushString(row, bytes, 0, bytes.length, null);
      }
      case Kind.INTEGER:
        value = parseNumber(text);
        if (Number.isNaN(parseInteger(text))) this.kind = Kind.NUMBER;
        break;
      case Kind.NUMBER:
        value = parseNumber(text);
        break;
      case Kind.BOOLEAN:
        value = parseBoolean(text);
        break;
      case Kind.DATETIME:
        value = parseDatetime(text);
        break;
    }
    if (Number.isNaN(value)) this.demote();
    else this.pushNumber(row, value);
  }

  private classifyText(text: string): void {
    if (!Number.isNaN(parseInteger(text))) this.becomeNumeric(Kind.INTEGER, 0);
    else if (!Number.isNaN(parseNumber(text))) this.becomeNumeric(Kind.NUMBER, 0);
    else if (!Number.isNaN(parseBoolean(text))) this.becomeNumeric(Kind.BOOLEAN, 0);
    else if (!Number.isNaN(parseDatetime(text))) this.becomeNumeric(Kind.DATETIME, 0);
    else this.becomeString();
  }

  /** Earlier rows of the block were all missing. */
  private becomeNumeric(kind: Kind, value: number): number {
    this.kind = kind;
    this.numbers = this.arrays.float64(Math.max(this.capacity, this.rows * 2)).fill(NaN, 0, this.rows);
    return value;
  }

  private becomeString(): void {
    this.kind = Kind.STRING;
    this.dictionary = new StringDictionary();
    this.codes = this.arrays.int32(Math.max(this.capacity, this.rows * 2)).fill(-1, 0, this.rows);
  }

  private demote(): void {
    this.kind = Kind.DEMOTED;
    this.numbers = null;
  }

  private pushMissing(row: number): void {
    this.nullCount++;
    if (this.numbers) this.pushNumber(row, NaN);
    else if (this.codes) this.pushCode(row, -1);
  }

  private pushNumber(row: number, value: number): void {
    if (row >= this.numbers!.length) {
      const bigger = this.arrays.float64(this.numbers!.length * 2);
      bigger.set(this.numbers!);
      this.numbers = bigger;
    }
    this.numbers![row] = value;
  }

  /**
   * A present string cell b[s, e) (its FNV-1a hash if the scan took it). Once a block's first UNIQUE_PROBE strings are
   * nearly all distinct, like an id column's, the rest are stored without a lookup, which would find nothing.
   */
  private pushString(row: number, b: Uint8Array, s: number, e: number, hash: number | null): void {
    const dictionary = this.dictionary!;
    if (dictionary.size > this.keepAtMost) {
      this.lookups = false;
      return this.pushCode(row, UNKEPT_STRING);
    }
    const code = this.unique ? dictionary.appendValue(b, s, e) : hash === null ? dictionary.codeOf(b, s, e) : dictionary.codeOfHashed(b, s, e, hash);
    if (++this.strings === UNIQUE_PROBE && dictionary.size >= UNIQUE_PROBE * UNIQUE_SHARE) {
      this.unique = true;
      this.lookups = false;
    }
    this.pushCode(row, code);
  }

  private pushCode(row: number, code: number): void {
    if (row >= this.codes!.length) {
      const bigger = this.arrays.int32(this.codes!.length * 2);
      bigger.set(this.codes!);
      this.codes = bigger;
    }
    this.codes![row] = code;
  }
}

/**
 * The value of a plain number cell b[s, e) (sign, digits, an optional dot and digits) of more than nine digits, in
 * float64 arithmetic, exact below 2^53; longer mantissas go to Number(). Sets numberShape.integral.
 */
function wideNumber(b: Uint8Array, s: number, e: number): number {
  let i = s;
  const negative = b[i] === 0x2d;
  if (negative || b[i] === 0x2b) i++;
  let mantissa = 0;
  let fraction = 0;
  let dotted = false;
  for (; i < e; i++) {
    if (b[i] === Byte.DOT) dotted = true;
    else {
      mantissa = mantissa * 10 + (b[i] - Byte.ZERO);
      if (dotted) fraction++;
    }
  }
  if (mantissa >= TWO_53 || fraction > 22) return slowNumber(b, s, e);
  numberShape.integral = !dotted;
  const magnitude = fraction === 0 ? mantissa : mantissa / EXACT_POW10[fraction];
  return negative ? -magnitude : magnitude;
}

function decode(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8');
}
