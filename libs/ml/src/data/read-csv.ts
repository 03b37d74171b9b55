import { open, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { ColumnAssembler } from './csv/block-columns';
import { columnBuffers } from './csv/column-sink';
import { readCsvHeader } from './csv/csv-header';
import { CsvWorkerPool } from './csv/csv-worker-pool';
import { type CsvBlockOptions, type CsvBlockResult, parseCsvBlock } from './csv/parse-csv-block';
import { type PlacedBlock, parseInOrder, withFirst } from './csv/parse-in-order';
import { recordBlocks } from './csv/record-blocks';
import { delimiterOf } from './csv-delimiter';
import { datasetInvalid } from './dataset-invalid';
import type { Frame, FrameColumn } from './frame';

const BLOCK_BYTES = 8 * 2 ** 20;
const DELIMITER_SAMPLE_BYTES = 64 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface CsvReadTuning {
  /** Bytes read and parsed at a time. */
  blockBytes?: number;
  /** Worker threads for files larger than one block; 0 parses on the calling thread. */
  workers?: number;
}

/**
 * Reads a CSV in one pass, block by block, each block parsed by a worker thread straight into typed columns;
 * each block is appended to the frame's columns as soon as the blocks before it are, so memory holds the result
 * plus a few blocks.
 */
export async function readCsv(path: string, maxRows = Infinity, tuning: CsvReadTuning = {}): Promise<Frame> {
  const blockBytes = tuning.blockBytes ?? BLOCK_BYTES;
  const handle = await open(path, 'r');
  let pool: CsvWorkerPool | null = null;
  try {
    const { size } = await handle.stat();
    const workers = size > blockBytes ? (tuning.workers ?? Math.min(availableParallelism(), 4)) : 0;
    // Started now, so the threads boot while the first block is read and its header parsed.
    pool = workers > 0 ? CsvWorkerPool.acquire(workers).start() : null;
    const bom = await startsWithBom(handle);
    const blocks = recordBlocks(handle, bom ? UTF8_BOM.length : 0, blockBytes, (bytes) => pool?.spareBlock(bytes));
    const first = await blocks.next();
    if (first.done) throw datasetInvalid('file is empty');
    const head = first.value.bytes;
    const delimiter = delimiterOf(head.subarray(0, DELIMITER_SAMPLE_BYTES).toString('utf8')).charCodeAt(0);
    const header = readCsvHeader(head, delimiter);
    if (!header) throw datasetInvalid('file is empty');

    const options: CsvBlockOptions = { delimiter, width: header.names.length, maxRows };
    const parse = pool ? pool.parse.bind(pool) : (bytes: Buffer, o: CsvBlockOptions, start: number) => Promise.resolve(parseCsvBlock(bytes, start, bytes.length, o));
    const assemblers = header.names.map((name) => new ColumnAssembler(name));
    // Records per byte in the first block: it sizes the frame's columns, and each later block's.
    let density = 0;
    const append = (block: PlacedBlock, result: CsvBlockResult, index: number) => {
      if (index === 0) {
        density = block.rows / Math.max(1, block.length - block.start);
        for (const a of assemblers) a.reserve(Math.min(maxRows, Math.ceil(density * size) + 1024));
      }
      result.columns.forEach((piece, i) => assemblers[i].add(piece, block.rows, block.rows < result.rows));
      // Copied out above: the workers may write the next blocks into the same, already paged-in, memory.
      pool?.recycle(columnBuffers(result.columns));
    };
    const optionsFor = (bytes: number): CsvBlockOptions => (density > 0 ? { ...options, rowsHint: Math.ceil(bytes * density * 1.1) + 64 } : options);
    const placed = await parseInOrder(withFirst(first.value, header.end, blocks), parse, optionsFor, maxRows, header.lines + 1, Math.max(1, workers) * 2, append);

    const rowCount = placed.reduce((n, b) => n + b.rows, 0);
    if (rowCount === 0) throw datasetInvalid('file has a header but no data rows');
    const columns: FrameColumn[] = [];
    for (let i = 0; i < assemblers.length; i++) columns.push(assemblers[i].finish() ?? (await readAsText(handle, placed, options, i, header.names[i])));
    return { rowCount, columns };
  } finally {
    pool?.release();
    await handle.close();
  }
}

/** A column whose blocks disagree (text in some, typed values in others) is read again from the file as text. */
async function readAsText(handle: FileHandle, placed: PlacedBlock[], options: CsvBlockOptions, index: number, name: string): Promise<FrameColumn> {
  const assembler = new ColumnAssembler(name);
  assembler.reserve(placed.reduce((n, b) => n + b.rows, 0));
  for (const block of placed) {
    const bytes = Buffer.allocUnsafe(block.length);
    const { bytesRead } = await handle.read(bytes, 0, block.length, block.offset);
    // The file's last record may lack the line break its block was given.
    if (bytesRead < block.length) bytes[block.length - 1] = 0x0a;
    const again = parseCsvBlock(bytes, block.start, block.length, { ...options, maxRows: block.rows, asString: [index] });
    assembler.add(again.columns[index], block.rows, false);
  }
  return assembler.finish()!;
}

async function startsWithBom(handle: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(UTF8_BOM.length);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  return bytesRead === head.length && head.equals(UTF8_BOM);
}
