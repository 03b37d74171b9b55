import type { FileHandle } from 'node:fs/promises';

/** The slice-on-demand view of a file that hyparquet reads from; only requested byte ranges enter memory. */
export interface AsyncFileBuffer {
  byteLength: number;
  slice(start: number, end?: number): Promise<ArrayBuffer>;
}

export async function fileAsyncBuffer(handle: FileHandle): Promise<AsyncFileBuffer> {
  const { size } = await handle.stat();
  return {
    byteLength: size,
    async slice(start: number, end = size) {
      const length = Math.max(0, Math.min(end, size) - start);
      const bytes = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(bytes, filled, length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return bytes.buffer;
    },
  };
}
