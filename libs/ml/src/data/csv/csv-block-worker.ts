/** Worker-thread entry: parses the blocks it is sent and hands the typed columns back without copying them. */
import { parentPort } from 'node:worker_threads';
import { digestColumns } from './column-digest';
import { columnBuffers } from './column-sink';
import { type CsvBlockOptions, type CsvBlockResult, parseCsvBlock } from './parse-csv-block';
import { SpareBuffers } from './spare-buffers';

export interface CsvBlockTask {
  buffer: ArrayBuffer;
  start: number;
  length: number;
  options: CsvBlockOptions;
  /** Buffers of earlier blocks' columns, copied out and sent back for this worker to reuse. */
  spare: ArrayBuffer[];
}

/** A block to parse, or word that the read is over and the spare memory can go. */
export type CsvWorkerMessage = CsvBlockTask | { trim: true };

export interface CsvBlockReply {
  result: CsvBlockResult;
  input: ArrayBuffer;
}

/** About two blocks' worth of column buffers for a wide file. */
const SPARE_LIMIT = 128;
let spare = new SpareBuffers(SPARE_LIMIT);

parentPort!.on('message', (task: CsvWorkerMessage) => {
  if ('trim' in task) {
    spare = new SpareBuffers(SPARE_LIMIT);
    return;
  }
  spare.give(task.spare);
  const parsed = parseCsvBlock(new Uint8Array(task.buffer, 0, task.length), task.start, task.length, task.options, spare);
  const result = task.options.digest ? digestColumns(parsed, task.options.manyDistinct) : parsed;
  // A digested block's column buffers stay here for the next block.
  if (result !== parsed) spare.give(columnBuffers(parsed.columns));
  // The block's bytes go back too, for the main thread to read a later block into.
  const reply: CsvBlockReply = { result, input: task.buffer };
  parentPort!.postMessage(reply, [task.buffer, ...columnBuffers(result.columns)]);
});
