import { open } from 'node:fs/promises';
import { datasetInvalid } from './dataset-invalid';
import { fileAsyncBuffer } from './file-async-buffer';
import type { ColumnType, Frame, FrameColumn } from './frame';
import { parquetColumnType } from './parquet-column-type';
import { StringDictionary } from './string-dictionary';

type Hyparquet = typeof import('hyparquet', { with: { 'resolution-mode': 'import' } });
type Compressors = typeof import('hyparquet-compressors', { with: { 'resolution-mode': 'import' } });

// Datetimes arrive as epoch milliseconds, the Frame's unit, instead of Date objects.
const PARSERS = {
  dateFromDays: (days: number) => days * 86_400_000,
  timestampFromMilliseconds: (ms: bigint) => Number(ms),
  timestampFromMicroseconds: (us: bigint) => Number(us / 1000n),
  timestampFromNanoseconds: (ns: bigint) => Number(ns / 1_000_000n),
};

/** Reads a Parquet file column by column, one row-group range at a time, through a file handle. */
export async function readParquet(path: string, maxRows = Infinity): Promise<Frame> {
  const hyparquet: Hyparquet = await import('hyparquet');
  // hyparquet alone reads only uncompressed and Snappy pages; polars writes ZSTD by default.
  const { compressors }: Compressors = await import('hyparquet-compressors');
  const handle = await open(path, 'r');
  try {
    const file = await fileAsyncBuffer(handle);
    let scan: Awaited<ReturnType<Hyparquet['parquetScan']>>;
    try {
      const metadata = await hyparquet.parquetMetadataAsync(file, { parsers: PARSERS });
      scan = await hyparquet.parquetScan({ file, metadata, parsers: PARSERS, compressors });
    } catch (err) {
      throw datasetInvalid(`not a readable Parquet file: ${(err as Error).message}`);
    }
    const schema = hyparquet.parquetSchema(scan.metadata).children;
    if (schema.length === 0) throw datasetInvalid('Parquet file has no columns');
    const rowCount = Math.min(Number(scan.metadata.num_rows), maxRows);
    if (rowCount === 0) throw datasetInvalid('Parquet file has no data rows');
    const ranges = scan.ranges
      .filter((r) => r.rowStart < rowCount)
      .map((r) => ({ rowStart: r.rowStart, rowEnd: Math.min(r.rowEnd, rowCount) }));

    const columns: FrameColumn[] = [];
    for (const node of schema) {
      const name = node.element.name;
      const type = parquetColumnType(node.element, node.children.length > 0);
      const sink = columnSink(name, type, rowCount);
      for (const range of ranges) {
        try {
          sink.write(range.rowStart, await scan.readColumn({ column: name, ...range }));
        } catch (err) {
          throw datasetInvalid(`Parquet column "${name}" could not be read: ${(err as Error).message}`, { column: name });
        }
      }
      columns.push(sink.build());
    }
    return { rowCount, columns };
  } finally {
    await handle.close();
  }
}

interface ColumnSink {
  write(offset: number, values: ArrayLike<unknown>): void;
  build(): FrameColumn;
}

function columnSink(name: string, type: ColumnType, rowCount: number): ColumnSink {
  let nullCount = 0;
  if (type === 'string') {
    const codes = new Int32Array(rowCount).fill(-1);
    const dictionary = new StringDictionary();
    const codeOf = dictionary.textCoder();
    return {
      write(offset, chunk) {
        for (let i = 0; i < chunk.length && offset + i < rowCount; i++) {
          const v = chunk[i];
          if (v === null || v === undefined) nullCount++;
          else codes[offset + i] = codeOf(toText(v));
        }
      },
      build: () => ({ name, type, nullCount, codes, dictionary }),
    };
  }
  const values = new Float64Array(rowCount).fill(NaN);
  return {
    write(offset, chunk) {
      for (let i = 0; i < chunk.length && offset + i < rowCount; i++) {
        const v = toNumber(chunk[i]);
        if (Number.isNaN(v)) nullCount++;
        values[offset + i] = v;
      }
    },
    build: () => ({ name, type, nullCount, values }),
  };
}

function toNumber(v: unknown): number {
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return Number(v);
}

function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}
