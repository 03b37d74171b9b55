import type { FileHandle } from 'node:fs/promises';
import { datasetInvalid } from '../dataset-invalid';

const LF = 0x0a;
const QUOTE = 0x22;
/** A record longer than this almost surely means a quote that is never closed. */
const MAX_RECORD_BYTES = 256 * 2 ** 20;

export interface RecordBlock {
  /**
   * Whole records only, the last one always ending in a line break (one is added after a file's last record
   * if it has none); its buffer is the block's own, so it can be transferred to a worker.
   */
  bytes: Buffer;
  /** Where the block starts in the file. */
  offset: number;
}

/** A buffer of at least `bytes` that an earlier block is done with, if there is one. */
export type SpareBlock = (bytes: number) => ArrayBuffer | undefined;

/**
 * Reads a file in blocks of about `blockBytes` that each end at a record boundary: the last line break with
 * an even number of quotes before it. Memory stays at a few blocks whatever the file's size; `spare` lets a
 * block be read into memory an earlier one used, already paged in.
 */
export async function* recordBlocks(handle: FileHandle, from: number, blockBytes: number, spare: SpareBlock = () => undefined): AsyncGenerator<RecordBlock> {
  const fileSize = (await handle.stat()).size;
  let carry = Buffer.alloc(0);
  let offset = from;
  for (;;) {
    // One byte past the end makes a short read, which is how the last block knows it is last.
    const size = Math.min(Math.max(blockBytes, carry.length * 2), fileSize - offset + 1);
    const reused = spare(size);
    const buffer = reused ? Buffer.from(reused, 0, size) : Buffer.allocUnsafeSlow(size);
    carry.copy(buffer, 0);
    const wanted = size - carry.length;
    const { bytesRead } = await handle.read(buffer, carry.length, wanted, offset + carry.length);
    const data = buffer.subarray(0, carry.length + bytesRead);
    if (bytesRead < wanted) {
      if (data.length > 0) yield { bytes: endWithLineBreak(data), offset };
      return;
    }
    const cut = lastRecordEnd(data);
    if (cut < 0) {
      if (data.length > MAX_RECORD_BYTES) throw datasetInvalid('CSV could not be parsed: a record runs past 256 MB; is a quote never closed?', { offset });
      carry = data;
      continue;
    }
    carry = Buffer.from(data.subarray(cut));
    yield { bytes: data.subarray(0, cut), offset };
    offset += cut;
  }
}

/**
 * The same blocks as recordBlocks, cut from chunks as they arrive (an upload being received): each block is its
 * own buffer from its first byte, so it can move to a worker, and the bytes past its last record start the next.
 */
export async function* recordBlocksFromChunks(chunks: AsyncIterable<Uint8Array>, blockBytes: number, spare: SpareBlock = () => undefined): AsyncGenerator<RecordBlock> {
  const allocate = (size: number) => {
    const reused = spare(size);
    return reused ? Buffer.from(reused, 0, size) : Buffer.allocUnsafeSlow(size);
  };
  let buffer = allocate(blockBytes);
  let length = 0;
  let offset = 0;
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; ) {
      if (length === buffer.length) {
        const cut = lastRecordEnd(buffer);
        if (cut < 0) {
          if (length > MAX_RECORD_BYTES) throw datasetInvalid('CSV could not be parsed: a record runs past 256 MB; is a quote never closed?', { offset });
          const bigger = allocate(length * 2);
          buffer.copy(bigger, 0, 0, length);
          buffer = bigger;
          continue;
        }
        const next = allocate(Math.max(blockBytes, (length - cut) * 2));
        buffer.copy(next, 0, cut, length);
        const block = buffer.subarray(0, cut);
        buffer = next;
        length -= cut;
        yield { bytes: block, offset };
        offset += cut;
      }
      const n = Math.min(chunk.length - at, buffer.length - length);
      buffer.set(chunk.subarray(at, at + n), length);
      length += n;
      at += n;
    }
  }
  if (length > 0) yield { bytes: endWithLineBreak(buffer.subarray(0, length)), offset };
}

/** The index just past the last line break outside quotes, or -1. */
export function lastRecordEnd(data: Buffer): number {
  const quotes: number[] = [];
  for (let q = data.indexOf(QUOTE); q >= 0; q = data.indexOf(QUOTE, q + 1)) quotes.push(q);
  let quotesBefore = quotes.length;
  for (let nl = data.lastIndexOf(LF); nl >= 0; nl = nl > 0 ? data.lastIndexOf(LF, nl - 1) : -1) {
    while (quotesBefore > 0 && quotes[quotesBefore - 1] > nl) quotesBefore--;
    if (quotesBefore % 2 === 0) return nl + 1;
  }
  return -1;
}

function endWithLineBreak(data: Buffer): Buffer {
  if (data[data.length - 1] === LF) return data;
  const bytes = Buffer.allocUnsafeSlow(data.length + 1);
  data.copy(bytes);
  bytes[data.length] = LF;
  return bytes;
}
