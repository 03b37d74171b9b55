/** Worker-thread entry: parses the blocks it is sent and hands the typed columns back without copying them. */
import { parentPort } from 'node:worker_threads';
import { type CsvBlockOptions, parseCsvBlock } from './parse-csv-block';

export interface CsvBlockTask {
  buffer: ArrayBuffer;
  start: number;
  length: number;
  options: CsvBlockOptions;
}

parentPort!.on('message', ({ buffer, start, length, options }: CsvBlockTask) => {
  const result = parseCsvBlock(new Uint8Array(buffer, 0, length), start, length, options);
  const transfer = result.columns
    .flatMap((c) => [c.numbers?.buffer, c.codes?.buffer, c.dictionary?.bytes.buffer, c.dictionary?.ends.buffer])
    .filter((x): x is ArrayBuffer => x !== undefined);
  parentPort!.postMessage(result, transfer);
});
