import { parseBoolean, parseDatetime, parseNumber } from '../data/cell-values';
import { datasetInvalid } from '../data/dataset-invalid';
import type { Frame, FrameColumn } from '../data/frame';
import { applyFeatureStats } from './apply-feature-stats';
import { categoryText, numericReader } from './cell-readers';
import { computeTimeFeatures } from './time-features';
import type { DatetimePart, FeatureTransform, PreprocessPlan } from './preprocess-plan';

export { categoryText, numericReader } from './cell-readers';

/** Writes one row's features for a transform into `out` at `at`. */
type Encoder = (row: number, out: Float32Array, at: number) => void;

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
  const encoders = plan.transforms.map((t) => {
    const column = byName.get(t.column);
    if (!column) throw datasetInvalid(`feature column "${t.column}" is missing`, { column: t.column });
    return { width: t.kind === 'datetime' ? t.parts.length : 1, encode: encoder(t, column) };
  });
  const cols = plan.featureNames.length;
  const timeWidth = plan.timeFeatures?.length ?? 0;
  if (timeWidth > 0) timed ??= computeTimeFeatures(plan, frame, Int32Array.from({ length: frame.rowCount }, (_, i) => i));
  const count = rows ? rows.length : frame.rowCount;
  const out = new Float32Array(count * cols);
  for (let r = 0; r < count; r++) {
    const row = rows ? rows[r] : r;
    let at = r * cols;
    for (const { width, encode } of encoders) {
      encode(row, out, at);
      at += width;
    }
    if (timed && timeWidth > 0) out.set(timed.subarray(row * timeWidth, (row + 1) * timeWidth), at);
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

function scalar(column: FrameColumn, parse: (raw: string) => number): Encoder {
  const read = numericReader(column, parse);
  return (row, out, at) => {
    out[at] = read(row);
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
