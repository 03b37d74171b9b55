import { parseBoolean, parseDatetime, parseNumber } from '../data/cell-values';
import { datasetInvalid } from '../data/dataset-invalid';
import { type Frame, type FrameColumn, type StringColumn } from '../data/frame';
import { applyFeatureStats } from './apply-feature-stats';
import { categoryText } from './cell-readers';
import { computeTimeFeatures } from './time-features';
import type { DatetimePart, FeatureTransform, PreprocessPlan } from './preprocess-plan';

/**
 * Writes one matrix column for output rows [from, to): out[r * cols + c] from frame row src[r]. Each kind of
 * column has its own loop, so the per-cell work stays inlined.
 */
type Filler = (out: Float32Array, src: ArrayLike<number>, from: number, to: number, cols: number, c: number) => void;

/** Output rows per pass: all feature columns of a chunk are filled while its part of the matrix is in cache. */
const CHUNK_ROWS = 2048;

export { categoryText, numericReader } from './cell-readers';

/**
 * Transforms every row of a raw frame into the plan's row-major feature matrix; unseen categories become NaN unless
 * imputed. Time features read the rows in frame order, as the ONNX graph reads its batch.
 */
export function applyPlan(plan: PreprocessPlan, frame: Frame): Float32Array {
  return encodeRows(plan, frame, null);
}

/**
 * Like applyPlan, for the given rows only (all rows when null), in that order. `timed` holds the time features of
 * every frame row (computeTimeFeatures over the rows in time order), so a row's lags may come from rows outside
 * `rows`; when null they are computed over the frame in its own order.
 */
export function encodeRows(plan: PreprocessPlan, frame: Frame, rows: ArrayLike<number> | null, timed: Float32Array | null = null): Float32Array {
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  const fillers = plan.transforms.flatMap((t) => {
    const column = byName.get(t.column);
    if (!column) throw datasetInvalid(`feature column "${t.column}" is missing`, { column: t.column });
    return featureFillers(t, column, rows?.length ?? frame.rowCount);
  });
  const cols = plan.featureNames.length;
  const src = rows ?? Int32Array.from({ length: frame.rowCount }, (_, i) => i);
  const timeWidth = plan.timeFeatures?.length ?? 0;
  if (timeWidth > 0) {
    const table = timed ?? computeTimeFeatures(plan, frame, Int32Array.from({ length: frame.rowCount }, (_, i) => i));
    for (let k = 0; k < timeWidth; k++) fillers.push(timeFiller(table, timeWidth, k));
  }
  const out = new Float32Array(src.length * cols);
  for (let from = 0; from < src.length; from += CHUNK_ROWS) {
    const to = Math.min(src.length, from + CHUNK_ROWS);
    fillers.forEach((fill, c) => fill(out, src, from, to, cols, c));
  }
  return applyFeatureStats(plan, out);
}

/** One filler per matrix column the transform makes; `rows` is how many rows will be encoded. */
function featureFillers(t: FeatureTransform, column: FrameColumn, rows: number): Filler[] {
  switch (t.kind) {
    case 'numeric':
      return [column.type === 'string' ? codeFiller(column, codeValues(column, rows, parseNumber)) : copyFiller(column.values)];
    case 'boolean':
      return [column.type === 'string' ? codeFiller(column, codeValues(column, rows, parseBoolean)) : copyFiller(column.values)];
    case 'datetime': {
      const ms = column.type === 'string' ? Float64Array.from(column.codes, codeValues(column, rows, parseDatetime)) : column.values;
      return t.parts.map((part) => datetimeFiller(ms, datetimePart(part)));
    }
    case 'category': {
      const index = new Map(t.categories.map((c, i) => [c, i]));
      if (column.type !== 'string') return [textFiller(column, index)];
      return [codeFiller(column, codeValues(column, rows, (text) => index.get(text) ?? NaN))];
    }
  }
}

/**
 * A number for each code of a string column: a table over its dictionary when that is no larger than the rows to
 * encode, else read per row (a slice of a large frame shares the frame's whole dictionary).
 */
function codeValues(column: StringColumn, rows: number, valueOf: (text: string) => number): (code: number) => number {
  const { dictionary } = column;
  if (dictionary.size <= rows) {
    const table = Float64Array.from(dictionary.values(), valueOf);
    return (code) => (code < 0 ? NaN : table[code]);
  }
  return (code) => (code < 0 ? NaN : valueOf(dictionary.at(code)));
}

function codeFiller(column: StringColumn, valueOf: (code: number) => number): Filler {
  const { codes } = column;
  return (out, src, from, to, cols, c) => {
    for (let r = from, at = from * cols + c; r < to; r++, at += cols) out[at] = valueOf(codes[src[r]]);
  };
}

function copyFiller(values: ArrayLike<number>): Filler {
  return (out, src, from, to, cols, c) => {
    for (let r = from, at = from * cols + c; r < to; r++, at += cols) out[at] = values[src[r]];
  };
}

function datetimeFiller(ms: ArrayLike<number>, partOf: (ms: number) => number): Filler {
  return (out, src, from, to, cols, c) => {
    for (let r = from, at = from * cols + c; r < to; r++, at += cols) {
      const t = ms[src[r]];
      out[at] = Number.isNaN(t) ? NaN : partOf(t);
    }
  };
}

/** Categories of a numeric, boolean or datetime column, keyed by the cell's text. */
function textFiller(column: FrameColumn, index: Map<string, number>): Filler {
  return (out, src, from, to, cols, c) => {
    for (let r = from, at = from * cols + c; r < to; r++, at += cols) {
      const text = categoryText(column, src[r]);
      out[at] = text === null ? NaN : (index.get(text) ?? NaN);
    }
  };
}

/** Time feature k of each row, from the row-major table of every frame row's time features. */
function timeFiller(timed: Float32Array, width: number, k: number): Filler {
  return (out, src, from, to, cols, c) => {
    for (let r = from, at = from * cols + c; r < to; r++, at += cols) out[at] = timed[src[r] * width + k];
  };
}

/** UTC calendar parts by arithmetic, equal to Date's getUTC* without allocating a Date per cell. */
function datetimePart(part: DatetimePart): (ms: number) => number {
  switch (part) {
    case 'epochSeconds':
      return (ms) => ms / 1000;
    case 'year':
      return (ms) => civilFromDays(dayOf(ms)).year;
    case 'month':
      return (ms) => civilFromDays(dayOf(ms)).month;
    case 'dayOfWeek':
      // 1970-01-01 was a Thursday (4).
      return (ms) => (((dayOf(ms) + 4) % 7) + 7) % 7;
  }
}

/** Date's time clip: fractions of a millisecond are cut toward zero, and beyond ±8.64e15 ms there is no date (NaN). */
function dayOf(ms: number): number {
  return Math.abs(ms) > MAX_DATE_MS ? NaN : Math.floor(Math.trunc(ms) / DAY_MS);
}

const MAX_DATE_MS = 8.64e15;
const DAY_MS = 86_400_000;
const civil = { year: 0, month: 0 };

/** Year and month (1-12) of a day count since 1970-01-01 (Howard Hinnant's civil_from_days); reuses one object. */
function civilFromDays(days: number): { year: number; month: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  civil.month = mp < 10 ? mp + 3 : mp - 9;
  civil.year = yoe + era * 400 + (civil.month <= 2 ? 1 : 0);
  return civil;
}
