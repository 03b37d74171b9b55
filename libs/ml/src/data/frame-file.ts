import { open, readFile } from 'node:fs/promises';
import { datasetInvalid } from './dataset-invalid';
import type { ColumnType, Frame, FrameColumn } from './frame';

/**
 * Snapshot layout: 8-byte magic, uint32 LE header length, JSON header, then one 8-byte-aligned
 * block per column (little-endian float64s, or UTF-8 JSON for string columns).
 */
const MAGIC = 'TYFRAME1';
const ALIGN = 8;

interface ColumnEntry {
  name: string;
  type: ColumnType;
  nullCount: number;
  offset: number;
  byteLength: number;
}

interface FrameHeader {
  rowCount: number;
  columns: ColumnEntry[];
}

/** Writes a Frame to a compact binary file that readFrame loads without re-parsing the dataset. */
export async function writeFrame(frame: Frame, path: string): Promise<void> {
  const blocks = frame.columns.map(columnBytes);
  const entries: ColumnEntry[] = [];
  let offset = 0;
  frame.columns.forEach((c, i) => {
    entries.push({ name: c.name, type: c.type, nullCount: c.nullCount, offset, byteLength: blocks[i].byteLength });
    offset = align(offset + blocks[i].byteLength);
  });
  const header = Buffer.from(JSON.stringify({ rowCount: frame.rowCount, columns: entries } satisfies FrameHeader));
  const prefix = Buffer.alloc(align(MAGIC.length + 4 + header.length));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, MAGIC.length);
  header.copy(prefix, MAGIC.length + 4);

  const handle = await open(path, 'w');
  try {
    await handle.write(prefix);
    let position = prefix.length;
    for (let i = 0; i < blocks.length; i++) {
      await handle.write(blocks[i], 0, blocks[i].byteLength, prefix.length + entries[i].offset);
      position = prefix.length + entries[i].offset + blocks[i].byteLength;
    }
    await handle.truncate(position);
  } finally {
    await handle.close();
  }
}

export async function readFrame(path: string): Promise<Frame> {
  const file = await readFile(path);
  if (file.length < MAGIC.length + 4 || file.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw datasetInvalid(`${path} is not a frame snapshot`);
  }
  const headerLength = file.readUInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  const header = JSON.parse(file.toString('utf8', headerStart, headerStart + headerLength)) as FrameHeader;
  const base = align(headerStart + headerLength);
  const columns = header.columns.map((entry): FrameColumn => {
    const bytes = file.subarray(base + entry.offset, base + entry.offset + entry.byteLength);
    const { name, type, nullCount } = entry;
    if (type === 'string') return { name, type, nullCount, values: JSON.parse(bytes.toString('utf8')) as (string | null)[] };
    // Copy into a fresh buffer: the file buffer's own offset need not be 8-byte aligned.
    const values = new Float64Array(entry.byteLength / 8);
    new Uint8Array(values.buffer).set(bytes);
    return { name, type, nullCount, values };
  });
  return { rowCount: header.rowCount, columns };
}

function columnBytes(column: FrameColumn): Uint8Array {
  if (column.type === 'string') return Buffer.from(JSON.stringify(column.values));
  return new Uint8Array(column.values.buffer, column.values.byteOffset, column.values.byteLength);
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
