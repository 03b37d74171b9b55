import type { Frame } from '../data/frame';
import { takeRows } from '../data/take-rows';
import { lookback, type PreprocessPlan } from '../preprocess/preprocess-plan';
import { frameTimeOrder } from '../preprocess/time-order';
import { scoreRawOnnx } from './compose-model';
import type { OnnxScores } from './score-onnx';

/** The frame rows to send as one batch so that each of `rows` sees the same history it had in training. */
export interface TimeOrderedBatch {
  /** Frame rows in time order, from enough history before the earliest of `rows` to the latest of them. */
  batch: Int32Array;
  /** For each of `rows`, its index in `batch`. */
  pick: Int32Array;
}

export function timeOrderedBatch(plan: PreprocessPlan, frame: Frame, rows: Int32Array): TimeOrderedBatch {
  if (!plan.timeColumn || !plan.timeFeatures?.length || rows.length === 0) return { batch: rows, pick: Int32Array.from(rows, (_, i) => i) };
  const order = frameTimeOrder(frame, plan.timeColumn);
  const position = new Int32Array(frame.rowCount);
  order.forEach((row, i) => (position[row] = i));
  let first = Infinity;
  let last = -1;
  for (const row of rows) {
    first = Math.min(first, position[row]);
    last = Math.max(last, position[row]);
  }
  const history = Math.max(...plan.timeFeatures.map(lookback));
  const start = Math.max(0, first - history);
  return { batch: order.slice(start, last + 1), pick: Int32Array.from(rows, (row) => position[row] - start) };
}

/**
 * Scores frame rows with a composed model, as a caller must send them: in time order with enough history for the
 * plan's time features. Returns the probabilities (classification) or values (regression) of `rows`, in their order.
 */
export async function scoreFrameRows(bytes: Uint8Array, plan: PreprocessPlan, frame: Frame, rows: Int32Array): Promise<Float32Array> {
  const { batch, pick } = timeOrderedBatch(plan, frame, rows);
  const scores: OnnxScores = await scoreRawOnnx(bytes, plan, takeRows(frame, batch));
  const all = (plan.task === 'classification' ? scores.probabilities : scores.values) ?? new Float32Array();
  const width = batch.length > 0 ? all.length / batch.length : 0;
  const out = new Float32Array(rows.length * width);
  pick.forEach((at, i) => out.set(all.subarray(at * width, (at + 1) * width), i * width));
  return out;
}
