import { parseBoolean, parseDatetime, parseNumber } from '../data/cell-values';
import { datasetInvalid } from '../data/dataset-invalid';
import { cellValue } from '../data/frame-records';
import type { Frame, FrameColumn } from '../data/frame';
import { applyFeatureStats } from './apply-feature-stats';
import type { DatetimePart, FeatureTransform, PreprocessPlan } from './preprocess-plan';

/** Writes one row's features for a transform into `out` at `at`. */
type Encoder = (row: number, out: Float32Array, at: number) => void;

/** Transforms every row of a raw frame into the plan's row-major feature matrix; unseen categories become NaN unless imputed. */
export function applyPlan(plan: PreprocessPlan, frame: Frame): Float32Array {
  return encodeRows(plan, frame, null);
}

/** Like applyPlan, for the given rows only (all rows when null), in that order. */
export function encodeRows(plan: PreprocessPlan, frame: Frame, rows: ArrayLike<number> | null): Float32Array {
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  const encoders = plan.transforms.map((t) => {
    const column = byName.get(t.column);
    if (!column) throw datasetInvalid(`feature column "${t.column}" is missing`, { column: t.column });
    return { width: t.kind === 'datetime' ? t.parts.length : 1, encode: encoder(t, column) };
  });
  const cols = plan.featureNames.length;
  const count = rows ? rows.length : frame.rowCount;
  const out = new Float32Array(count * cols);
  for (let r = 0; r < count; r++) {
    const row = rows ? rows[r] : r;
    let at = r * cols;
    for (const { width, encode } of encoders) {
      encode(row, out, at);
      at += width;
    }
  }
  return applyFeatureStats(plan, out);
}

function encoder(t: FeatureTransform, column: FrameColumn): Encoder {
  switch (t.kind) {
    case 'numeric':
      return scalar(column, parseNumber);
    case 'boolean':
      return scalar(column, parseBoolean);
    case 'datetime': {
      const read = numericReader(column, parseDatetime);
      const parts = t.parts.map(datetimePart);
      return (row, out, at) => {
        const ms = read(row);
        for (let p = 0; p < parts.length; p++) out[at + p] = Number.isNaN(ms) ? NaN : parts[p](ms);
      };
    }
    case 'category': {
      const codes = new Map(t.categories.map((c, i) => [c, i]));
      return (row, out, at) => {
        const text = categoryText(column, row);
        out[at] = text === null ? NaN : (codes.get(text) ?? NaN);
      };
    }
  }
}

/** A cell as the text a category vocabulary is keyed by; null when missing. */
export function categoryText(column: FrameColumn, row: number): string | null {
  const value = column.type === 'string' ? column.values[row] : cellValue(column, row);
  return value === null ? null : String(value);
}

function scalar(column: FrameColumn, parse: (raw: string) => number): Encoder {
  const read = numericReader(column, parse);
  return (row, out, at) => {
    out[at] = read(row);
  };
}

/** Reads a numeric value whether the frame typed the column as numbers or left it as text. */
export function numericReader(column: FrameColumn, parse: (raw: string) => number): (row: number) => number {
  if (column.type !== 'string') return (row) => column.values[row];
  return (row) => {
    const v = column.values[row];
    return v === null ? NaN : parse(v);
  };
}

function datetimePart(part: DatetimePart): (ms: number) => number {
  switch (part) {
    case 'epochSeconds':
      return (ms) => ms / 1000;
    case 'year':
      return (ms) => new Date(ms).getUTCFullYear();
    case 'month':
      return (ms) => new Date(ms).getUTCMonth() + 1;
    case 'dayOfWeek':
      return (ms) => new Date(ms).getUTCDay();
  }
}
