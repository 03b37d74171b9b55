import { csvRecords } from './csv-records';
import { detectCsvDelimiter } from './csv-delimiter';
import { datasetInvalid } from './dataset-invalid';
import type { DatasetFormat } from './detect-format';
import { frameRecords } from './frame-records';
import { readDataset } from './read-dataset';
import { sliceFrame } from './slice-frame';

export interface RecordBatches {
  columns: string[];
  batches: AsyncGenerator<Record<string, unknown>[]>;
}

/**
 * A dataset file as batches of records keyed by column name, for scoring files larger than memory: CSV is
 * streamed (cells stay text; empty cells are null); Parquet is read column-wise and sliced.
 */
export async function recordBatches(path: string, format: DatasetFormat, batchSize: number): Promise<RecordBatches> {
  if (format === 'parquet') {
    const frame = await readDataset(path, 'parquet');
    return {
      columns: frame.columns.map((c) => c.name),
      batches: (async function* () {
        for (let start = 0; start < frame.rowCount; start += batchSize) yield frameRecords(sliceFrame(frame, start, start + batchSize));
      })(),
    };
  }
  const records = csvRecords(path, await detectCsvDelimiter(path));
  const first = await records.next();
  if (first.done) throw datasetInvalid('the file is empty');
  const header = first.value;
  return {
    columns: header,
    batches: (async function* () {
      let batch: Record<string, unknown>[] = [];
      for await (const cells of records) {
        const record: Record<string, unknown> = {};
        header.forEach((name, i) => (record[name] = cells[i] === '' ? null : cells[i]));
        batch.push(record);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    })(),
  };
}
