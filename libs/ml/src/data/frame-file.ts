import { open } from 'node:fs/promises';
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

/** Reads a snapshot column by column into its own arrays, so memory never holds the whole file twice. */
export async function readFrame(path: string): Promise<Frame> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length + 4);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const magic = head.toString('latin1', 0, MAGIC.length);
    if (bytesRead < head.length || magic !== MAGIC) throw datasetInvalid(`${path} is not a frame snapshot`);
    const headerLength = head.readUInt32LE(MAGIC.length);
    const headerBytes = Buffer.alloc(headerLength);
    await handle.read(headerBytes, 0, headerLength, head.length);
    const header = JSON.parse(headerBytes.toString('utf8')) as FrameHeader;
    const base = align(head.length + headerLength);
    const columns: FrameColumn[] = [];
    for (const { name, type, nullCount, offset, byteLength } of header.columns) {
      // A fresh, 8-byte-aligned buffer per column, filled straight from the file.
      const bytes = new Uint8Array(byteLength);
      await handle.read(bytes, 0, byteLength, base + offset);
      if (type !== 'string') columns.push({ name, type, nullCount, values: new Float64Array(bytes.buffer) });
      else columns.push({ name, type, nullCount, values: JSON.parse(Buffer.from(bytes.buffer).toString('utf8')) as (string | null)[] });
    }
    return { rowCount: header.rowCount, columns };
  } finally {
    await handle.close();
  }
}

function columnBytes(column: FrameColumn): Uint8Array {
  if (column.type === 'string') return Buffer.from(JSON.stringify(column.values));
  return new Uint8Array(column.values.buffer, column.values.byteOffset, column.values.byteLength);
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
