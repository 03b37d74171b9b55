import { open } from 'node:fs/promises';
import { datasetInvalid } from './dataset-invalid';
import { type ColumnType, type Frame, type FrameColumn, stringColumn } from './frame';
import { StringDictionary } from './string-dictionary';

/**
 * Snapshot layout: 8-byte magic, uint32 LE header length, JSON header, then one 8-byte-aligned block per column:
 * little-endian float64s, or for a string column its int32 codes, the int32 ends of its dictionary's values and
 * their UTF-8 bytes. Snapshots whose string columns are UTF-8 JSON arrays (no `dictionarySize`) still load.
 */
const MAGIC = 'TYFRAME1';
const ALIGN = 8;

interface ColumnEntry {
  name: string;
  type: ColumnType;
  nullCount: number;
  offset: number;
  byteLength: number;
  /** String columns: how many distinct values the dictionary holds. */
  dictionarySize?: number;
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
    const dictionarySize = c.type === 'string' ? c.dictionary.size : undefined;
    entries.push({ name: c.name, type: c.type, nullCount: c.nullCount, offset, byteLength: blocks[i].byteLength, dictionarySize });
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
    for (const entry of header.columns) {
      // A fresh, 8-byte-aligned buffer per column, filled straight from the file.
      const bytes = new Uint8Array(entry.byteLength);
      await handle.read(bytes, 0, entry.byteLength, base + entry.offset);
      columns.push(columnFrom(entry, bytes, header.rowCount));
    }
    return { rowCount: header.rowCount, columns };
  } finally {
    await handle.close();
  }
}

function columnFrom({ name, type, nullCount, dictionarySize }: ColumnEntry, bytes: Uint8Array<ArrayBuffer>, rowCount: number): FrameColumn {
  if (type !== 'string') return { name, type, nullCount, values: new Float64Array(bytes.buffer) };
  if (dictionarySize === undefined) {
    const column = stringColumn(name, JSON.parse(Buffer.from(bytes.buffer).toString('utf8')) as (string | null)[]);
    return { ...column, nullCount };
  }
  const codes = new Int32Array(bytes.buffer, 0, rowCount);
  const ends = new Int32Array(bytes.buffer, rowCount * 4, dictionarySize);
  const start = (rowCount + dictionarySize) * 4;
  const values = bytes.subarray(start, start + (dictionarySize > 0 ? ends[dictionarySize - 1] : 0));
  return { name, type, nullCount, codes, dictionary: new StringDictionary({ bytes: values, ends }) };
}

function columnBytes(column: FrameColumn): Uint8Array {
  if (column.type !== 'string') return new Uint8Array(column.values.buffer, column.values.byteOffset, column.values.byteLength);
  const { bytes, ends } = column.dictionary.raw;
  const out = new Uint8Array(column.codes.byteLength + ends.byteLength + bytes.byteLength);
  out.set(new Uint8Array(column.codes.buffer, column.codes.byteOffset, column.codes.byteLength), 0);
  out.set(new Uint8Array(ends.buffer, ends.byteOffset, ends.byteLength), column.codes.byteLength);
  out.set(bytes, column.codes.byteLength + ends.byteLength);
  return out;
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
