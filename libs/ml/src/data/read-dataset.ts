import type { DatasetFormat } from './detect-format';
import type { Frame } from './frame';
import { readCsv } from './read-csv';
import { readParquet } from './read-parquet';

export interface ReadDatasetOptions {
  /** Read at most this many data rows. */
  maxRows?: number;
}

/** Loads a CSV or Parquet dataset into a typed Frame; problems with the file throw DATASET_INVALID. */
export function readDataset(path: string, format: DatasetFormat, opts: ReadDatasetOptions = {}): Promise<Frame> {
  const maxRows = opts.maxRows ?? Infinity;
  return format === 'parquet' ? readParquet(path, maxRows) : readCsv(path, maxRows);
}
