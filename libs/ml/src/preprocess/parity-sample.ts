import type { Frame } from '../data/frame';
import { withCompactStrings } from '../data/frame-sections';
import { takeRows } from '../data/take-rows';
import { timeOrderedBatch } from '../onnx/score-frame-rows';
import type { ParitySample, PreparedData } from './prepared-data';

/**
 * The first `maxRows` test rows in raw form (the test split is already a random or time-ordered draw), with the
 * history their time features need: enough to hold an exported model to the engine, small enough to keep with the
 * prepared data instead of the whole frame.
 */
export function paritySample(prepared: PreparedData, frame: Frame, maxRows: number): ParitySample {
  if (!prepared.frameRows) throw new Error('prepared data has no frame rows');
  const rows = prepared.frameRows.test.subarray(0, Math.min(maxRows, prepared.test.rows));
  const { batch, pick } = timeOrderedBatch(prepared.plan, frame, rows);
  return { frame: withCompactStrings(takeRows(frame, batch)), pick };
}
