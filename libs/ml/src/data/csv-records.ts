import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { datasetInvalid } from './dataset-invalid';

interface CsvParseError {
  code?: string;
  message?: string;
  lines?: number;
  record?: string[];
}

/**
 * Streams raw records (header first) and stops reading the file once `maxRecords` are out.
 * csv-parse itself enforces the header's field count, which is cheaper than tracking line numbers per record.
 */
export async function* csvRecords(path: string, delimiter: string, maxRecords = Infinity): AsyncGenerator<string[]> {
  const file = createReadStream(path);
  const parser = parse({ delimiter, bom: true, skip_empty_lines: true });
  file.on('error', (err) => parser.destroy(err));
  file.pipe(parser);
  let count = 0;
  let width = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (count >= maxRecords) break;
      if (count === 0) width = record.length;
      count++;
      yield record;
    }
  } catch (err) {
    throw toDatasetError(err, width);
  } finally {
    file.unpipe(parser);
    file.destroy();
    parser.destroy();
  }
}

function toDatasetError(err: unknown, width: number): unknown {
  const e = err as CsvParseError;
  // Only csv-parse's own errors describe the file; I/O errors stay as they are.
  if (typeof e?.code !== 'string' || !e.code.startsWith('CSV_')) return err;
  if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && e.record) {
    const found = e.record.length;
    // The stream may fail before the header reaches us, so prefer csv-parse's own count.
    const expected = Number(/expect (\d+)/.exec(e.message ?? '')?.[1] ?? width);
    return datasetInvalid(`line ${e.lines}: expected ${expected} fields, found ${found}`, { line: e.lines, expected, found });
  }
  return datasetInvalid(`CSV could not be parsed: ${e.message}`, { line: e.lines, reason: e.code });
}
