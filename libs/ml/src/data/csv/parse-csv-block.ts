import type { ColumnDigest } from './column-digest';
import { type BlockColumn, ColumnSink } from './column-sink';
import { type ColumnArrays, FRESH_ARRAYS } from './spare-buffers';

/** As a const enum each use compiles to a literal, not a load of a module variable. */
const enum Byte {
  LF = 0x0a,
  CR = 0x0d,
  QUOTE = 0x22,
}

export interface CsvBlockOptions {
  delimiter: number;
  /** Fields per record, from the header. */
  width: number;
  /** Stop after this many records. */
  maxRows: number;
  /** Columns to keep as text whatever they hold: they turned out to be strings elsewhere in the file. */
  asString?: readonly number[];
  /** About how many records the block holds, from the blocks before it; columns are sized by it and grow past it. Without it the line breaks are counted. */
  rowsHint?: number;
  /**
   * Inspecting rather than reading: a string column keeps at most this many distinct values plus one (enough to
   * tell that it passed), and later strings get the code UNKEPT_STRING instead of a copy and a lookup.
   */
  distinctCap?: number;
  /** Inspecting: hand back each column's digest (column-digest.ts) rather than its values. */
  digest?: boolean;
  /** Columns already known to hold more distinct values than the cap: their digests count none. */
  manyDistinct?: readonly number[];
}

/** A problem in the block; `lineOffset` counts line breaks from the block's start to the bad record. */
export interface CsvBlockError {
  lineOffset: number;
  problem: string;
  details: Record<string, unknown>;
}

export interface CsvBlockResult {
  rows: number;
  /** Line breaks consumed, so the caller can number the next block's lines. */
  lines: number;
  columns: BlockColumn[];
  /** With `digest`: the columns' digests, and `columns` is empty. */
  digests?: ColumnDigest[];
  error?: CsvBlockError;
}

/**
 * Parses whole RFC 4180 records (LF or CRLF, "" escapes, blank lines skipped) from b[start, end) straight
 * into typed columns. A column that changes type mid-block is read once more as text.
 */
export function parseCsvBlock(b: Uint8Array, start: number, end: number, options: CsvBlockOptions, arrays: ColumnArrays = FRESH_ARRAYS): CsvBlockResult {
  if (end > start && b[end - 1] !== Byte.LF) throw new Error('a CSV block must end with a line break');
  const { delimiter, width, maxRows } = options;
  const capacity = Math.min(options.rowsHint ?? lineBreaks(b, start, end), maxRows);
  const first = parseRecords(b, start, end, delimiter, width, maxRows, sinksFor(options, capacity, options.asString ?? [], arrays));
  const demoted = first.sinks.flatMap((sink, i) => (sink.demoted ? [i] : []));
  if (demoted.length === 0 || first.error) return finish(first);
  const again = parseRecords(b, start, end, delimiter, width, maxRows, sinksFor(options, capacity, demoted, arrays));
  return finish({ ...first, sinks: first.sinks.map((sink, i) => (sink.demoted ? again.sinks[i] : sink)) });
}

function finish({ rows, lines, sinks, error }: ParsedRecords): CsvBlockResult {
  return { rows, lines, columns: sinks.map((s) => s.finish()), ...(error ? { error } : {}) };
}

interface ParsedRecords {
  rows: number;
  lines: number;
  sinks: ColumnSink[];
  error?: CsvBlockError;
}

function sinksFor({ delimiter, width, distinctCap }: CsvBlockOptions, capacity: number, asString: readonly number[], arrays: ColumnArrays): ColumnSink[] {
  const strings = new Set(asString);
  return Array.from({ length: width }, (_, i) => new ColumnSink(delimiter, capacity, strings.has(i), arrays, distinctCap ?? Infinity));
}

/**
 * The record loop. It takes plain numbers rather than the options object, whose shape differs between a file's
 * first block and the rest (rowsHint): a new shape here would throw away the loop's optimised code on the second block.
 */
function parseRecords(b: Uint8Array, start: number, end: number, delimiter: number, width: number, maxRows: number, sinks: ColumnSink[]): ParsedRecords {
  // No closure captures these, so V8 keeps them in registers through the loop.
  let rows = 0;
  let lines = 0;
  let i = start;

  while (i < end && rows < maxRows) {
    if (b[i] === Byte.LF || (b[i] === Byte.CR && b[i + 1] === Byte.LF)) {
      i += b[i] === Byte.LF ? 1 : 2;
      lines++;
      continue;
    }
    const recordLine = lines;
    let field = 0;
    for (;;) {
      if (b[i] === Byte.QUOTE) {
        const cell = quotedCell(b, i, end);
        if (!cell) return failed({ rows, lines, sinks }, recordLine, 'CSV could not be parsed: a quoted field is never closed', { reason: 'UNCLOSED_QUOTE' });
        lines += cell.lineBreaks;
        i = cell.next;
        if (b[i] === Byte.CR && b[i + 1] === Byte.LF) i++;
        if (i < end && b[i] !== delimiter && b[i] !== Byte.LF) {
          return failed({ rows, lines, sinks }, lines, `CSV could not be parsed: unexpected text after the closing quote of field ${field + 1}`, { reason: 'INVALID_CLOSING_QUOTE' });
        }
        if (field < width) sinks[field].push(b, cell.start, cell.end, cell.escaped);
      } else {
        i = field < width ? sinks[field].read(b, i) : skipCell(b, i, delimiter);
        if (i < 0) return failed({ rows, lines, sinks }, lines, `CSV could not be parsed: a quote inside unquoted field ${field + 1}`, { reason: 'INVALID_OPENING_QUOTE' });
      }
      field++;
      if (i < end && b[i] === delimiter) {
        i++;
        continue;
      }
      if (i < end) {
        i++;
        lines++;
      }
      break;
    }
    if (field !== width) return failed({ rows, lines, sinks }, recordLine, `expected ${width} fields, found ${field}`, { expected: width, found: field });
    rows++;
  }
  return { rows, lines, sinks };
}

function failed(parsed: ParsedRecords, lineOffset: number, problem: string, details: Record<string, unknown>): ParsedRecords {
  return { ...parsed, error: { lineOffset, problem, details } };
}

/** Line breaks in b[start, end): the most records a block can hold, or those inside a quoted cell. */
function lineBreaks(b: Uint8Array, start: number, end: number): number {
  let count = 0;
  for (let nl = b.indexOf(Byte.LF, start); nl >= 0 && nl < end; nl = b.indexOf(Byte.LF, nl + 1)) count++;
  return count;
}

/** Past an extra cell of a ragged record, which is reported, not stored. */
function skipCell(b: Uint8Array, i: number, delimiter: number): number {
  while (b[i] !== delimiter && b[i] !== Byte.LF) i++;
  return i;
}

/** The quoted cell opening at b[open]: its content, whether it holds "" escapes, line breaks inside, and the index after the closing quote. */
function quotedCell(b: Uint8Array, open: number, end: number) {
  const start = open + 1;
  let escaped = false;
  let i = start;
  for (;;) {
    const quote = b.indexOf(Byte.QUOTE, i);
    if (quote < 0 || quote >= end) return null;
    if (quote + 1 < end && b[quote + 1] === Byte.QUOTE) {
      escaped = true;
      i = quote + 2;
      continue;
    }
    return { start, end: quote, escaped, lineBreaks: lineBreaks(b, start, quote), next: quote + 1 };
  }
}
