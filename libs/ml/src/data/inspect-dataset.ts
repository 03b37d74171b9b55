import type { ColumnSummary } from '@trainyard/contracts';
import type { DatasetFormat } from './detect-format';
import { summarize } from './frame';
import { readDataset } from './read-dataset';
import { DistinctValues } from './distinct-values';

export interface DatasetInspection {
  rows: number;
  columns: ColumnSummary[];
}

/** Row count and column types, as the dataset upload reports them. */
export async function inspectDataset(path: string, format: DatasetFormat): Promise<DatasetInspection> {
  const frame = await readDataset(path, format);
  const columns = summarize(frame).map((summary, i) => {
    const distinct = new DistinctValues();
    distinct.addFrameColumn(frame.columns[i]);
    return { ...summary, distinct: distinct.count };
  });
  return { rows: frame.rowCount, columns };
}
