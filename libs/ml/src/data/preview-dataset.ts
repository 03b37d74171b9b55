import type { ColumnSummary } from '@trainyard/contracts';
import type { DatasetFormat } from './detect-format';
import { frameRecords } from './frame-records';
import { sliceFrame } from './slice-frame';
import { summarize } from './frame';
import { readDataset } from './read-dataset';
import { lastRecordEnd } from './csv/record-blocks';

/** Types are inferred from at least this many leading rows, so a short preview types columns like the full read would. */
const MIN_INFERENCE_ROWS = 1000;

export interface DatasetPreview {
  columns: ColumnSummary[];
  rows: Record<string, unknown>[];
}

/**
 * The whole records at the start of a CSV's first bytes (a preview reads a bounded head, which may end inside a
 * record); null when the head holds no whole record after the header.
 */
export function wholeRecords(head: Buffer): Buffer | null {
  const end = lastRecordEnd(head);
  return end < 0 ? null : head.subarray(0, end);
}

/** The first `limit` rows as JSON-ready records; reads only the head of a CSV. */
export async function previewDataset(path: string, format: DatasetFormat, limit: number): Promise<DatasetPreview> {
  const rows = Math.max(0, Math.floor(limit));
  const frame = await readDataset(path, format, { maxRows: Math.max(rows, MIN_INFERENCE_ROWS) });
  const head = sliceFrame(frame, 0, rows);
  return { columns: summarize(head), rows: frameRecords(head) };
}
