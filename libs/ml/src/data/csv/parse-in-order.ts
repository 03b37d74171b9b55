import type { CsvBlockOptions, CsvBlockResult } from './parse-csv-block';
import type { RecordBlock } from './record-blocks';
import { datasetInvalid } from '../dataset-invalid';

export type ParseBlock = (bytes: Buffer, options: CsvBlockOptions, start: number) => Promise<CsvBlockResult>;

export interface DataBlock extends RecordBlock {
  start: number;
}

/** Where a parsed block sits in the file, so it can be read again, and how many of its rows count. */
export interface PlacedBlock {
  offset: number;
  start: number;
  length: number;
  rows: number;
}

export async function* withFirst(first: RecordBlock, headerEnd: number, rest: AsyncGenerator<RecordBlock>): AsyncGenerator<DataBlock> {
  yield { ...first, start: headerEnd };
  for await (const block of rest) yield { ...block, start: 0 };
}

/**
 * Keeps up to `inFlight` blocks parsing and hands their results to `append` in file order, numbering lines as it
 * goes so a bad record is reported with its line in the file.
 */
export async function parseInOrder(
  blocks: AsyncGenerator<DataBlock>,
  parse: ParseBlock,
  optionsFor: (bytes: number) => CsvBlockOptions,
  maxRows: number,
  firstLine: number,
  inFlight: number,
  append: (block: PlacedBlock, result: CsvBlockResult, index: number) => void,
): Promise<PlacedBlock[]> {
  const placed: PlacedBlock[] = [];
  const pending: { block: Omit<PlacedBlock, 'rows'>; result: Promise<CsvBlockResult> }[] = [];
  let rows = 0;
  let line = firstLine;
  const takeOne = async () => {
    const { block, result } = pending.shift()!;
    const done = await result;
    if (done.error) throw datasetInvalid(`line ${line + done.error.lineOffset}: ${done.error.problem}`, { line: line + done.error.lineOffset, ...done.error.details });
    const kept = { ...block, rows: Math.min(done.rows, maxRows - rows) };
    append(kept, done, placed.length);
    placed.push(kept);
    rows += kept.rows;
    line += done.lines;
  };
  for await (const { bytes, offset, start } of blocks) {
    // Taken before parse(), which may move the bytes to a worker and leave `bytes` empty.
    const block = { offset, start, length: bytes.length };
    const result = parse(bytes, optionsFor(bytes.length - start), start);
    // Awaited in order below; this only keeps a failure from counting as unhandled while it waits its turn.
    result.catch(() => undefined);
    pending.push({ block, result });
    if (pending.length >= inFlight) await takeOne();
    if (rows >= maxRows) break;
  }
  while (pending.length > 0 && rows < maxRows) await takeOne();
  return placed;
}

