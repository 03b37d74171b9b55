import { open } from 'node:fs/promises';
import { datasetInvalid } from './dataset-invalid';
import type { ColumnType, Frame, FrameColumn } from './frame';

/**
 * Snapshot layout: 8-byte magic, uint32 LE header length, JSON header, then one 8-byte-aligned block per
 * column: little-endian float64s, or for strings int32 codes (-1 for null) followed by the UTF-8 JSON array of
 * distinct values. Version 1 files, whose string blocks are one JSON array of every cell, are still read.
 */
const MAGIC = 'TYFRAME2';
const MAGIC_V1 = 'TYFRAME1';
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
  const blocks = frame.columns.map((c) => (c.type === 'string' ? stringBlock(c.values) : new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength)));
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
    let end = prefix.length;
    for (let i = 0; i < blocks.length; i++) {
      await handle.write(blocks[i], 0, blocks[i].byteLength, prefix.length + entries[i].offset);
      end = prefix.length + entries[i].offset + blocks[i].byteLength;
    }
    await handle.truncate(end);
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
    if (bytesRead < head.length || (magic !== MAGIC && magic !== MAGIC_V1)) throw datasetInvalid(`${path} is not a frame snapshot`);
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
      else columns.push({ name, type, nullCount, values: magic === MAGIC_V1 ? (JSON.parse(Buffer.from(bytes.buffer).toString('utf8')) as (string | null)[]) : stringValues(bytes, header.rowCount) });
    }
    return { rowCount: header.rowCount, columns };
  } finally {
    await handle.close();
  }
}

function stringBlock(values: (string | null)[]): Uint8Array {
  const codes = new Int32Array(values.length);
  const codeOf = new Map<string, number>();
  const distinct: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) {
      codes[i] = -1;
      continue;
    }
    let code = codeOf.get(v);
    if (code === undefined) {
      code = distinct.push(v) - 1;
      codeOf.set(v, code);
    }
    codes[i] = code;
  }
  return Buffer.concat([new Uint8Array(codes.buffer), Buffer.from(JSON.stringify(distinct))]);
}

function stringValues(bytes: Uint8Array, rowCount: number): (string | null)[] {
  const codes = new Int32Array(bytes.buffer, bytes.byteOffset, rowCount);
  const distinct = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + rowCount * 4).toString('utf8')) as string[];
  const values: (string | null)[] = [];
  for (let i = 0; i < rowCount; i++) values.push(codes[i] < 0 ? null : distinct[codes[i]]);
  return values;
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
