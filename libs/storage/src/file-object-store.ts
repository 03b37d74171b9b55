import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { checkedKey } from './object-keys';
import type { ObjectBody, ObjectInfo, ObjectStore, PutOptions } from './object-store';
import { ObjectNotFoundError } from './storage-errors';

/** Where puts are written before they are renamed into place; never a valid key's first segment. */
const INCOMING = '.incoming';

/**
 * Objects as files under one directory (the embedded default, or a mount that several machines share). A put
 * writes a private temporary file and renames it over the key's path, so a crash leaves the old object or
 * the new one; files are 0600 and folders 0700.
 */
export class FileObjectStore implements ObjectStore {
  readonly isLocal = true;

  constructor(readonly root: string) {}

  get location(): string {
    return `file://${this.root}`;
  }

  private pathOf(key: string): string {
    return join(this.root, ...checkedKey(key).split('/'));
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<{ storedBytes: number }> {
    const target = this.pathOf(key);
    const incoming = join(this.root, INCOMING);
    await mkdir(incoming, { recursive: true, mode: 0o700 });
    const temporary = join(incoming, randomUUID());
    let storedBytes = 0;
    try {
      const handle = await open(temporary, 'wx', 0o600);
      try {
        if (body instanceof Uint8Array) storedBytes = await writeAllOf(handle, [body]);
        else storedBytes = await writeCoalesced(handle, body, options.durable === true);
        if (options.durable) await handle.sync();
      } finally {
        await handle.close();
      }
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await rename(temporary, target);
      if (options.durable) await syncDirectory(dirname(target));
      return { storedBytes };
    } catch (err) {
      await unlink(temporary).catch(() => undefined);
      throw err;
    }
  }

  async get(key: string): Promise<Readable> {
    const handle = await this.openExisting(key);
    return handle.createReadStream({ autoClose: true });
  }

  async getRange(key: string, start: number, end: number): Promise<Buffer> {
    const handle = await this.openExisting(key);
    try {
      const { size } = await handle.stat();
      const length = Math.max(0, Math.min(end, size) - start);
      const out = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(out, done, length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return out.subarray(0, done);
    } finally {
      await handle.close();
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { key, size: s.size, lastModified: s.mtime } : null;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((err: unknown) => {
      if (!isMissing(err)) throw err;
    });
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    for await (const object of this.list(prefix)) {
      await this.delete(object.key);
      count++;
    }
    // The prefix's folders go too, once empty, so a finished job leaves no trace.
    const folder = prefix.endsWith('/') ? this.pathOf(prefix.slice(0, -1)) : null;
    if (folder) await rm(folder, { recursive: true, force: true });
    return count;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const folder = prefix.endsWith('/') ? prefix.slice(0, -1) : dirname(prefix) === '.' ? '' : dirname(prefix);
    const start = folder ? this.pathOf(folder) : this.root;
    for await (const path of walk(start)) {
      const key = relative(this.root, path).split(sep).join('/');
      if (key.startsWith(`${INCOMING}/`) || !key.startsWith(prefix)) continue;
      const s = await stat(path).catch(() => null);
      if (s?.isFile()) yield { key, size: s.size, lastModified: s.mtime };
    }
  }

  localPath(key: string): string {
    return this.pathOf(key);
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    const incoming = join(this.root, INCOMING);
    const names = await readdir(incoming).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const path = join(incoming, name);
      const s = await stat(path).catch(() => null);
      if (s && Date.now() - s.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {}

  private async openExisting(key: string): Promise<FileHandle> {
    try {
      return await open(this.pathOf(key), 'r');
    } catch (err) {
      if (isMissing(err)) throw new ObjectNotFoundError(key);
      throw err;
    }
  }
}

/** A stream's chunks are often 64 KiB: written as they come, each is a trip to libuv's pool. */
const WRITE_BATCH_BYTES = 1 << 20;
/** A durable write flushes to disk every this many bytes as it goes, so the sync that ends it has little left to do. */
const SYNC_EVERY_BYTES = 64 << 20;

/**
 * Writes a stream's chunks in batches of about 1 MiB, each one gathered write (no copy into a batch buffer). A
 * durable write also syncs the file every SYNC_EVERY_BYTES in the background, while later chunks arrive.
 */
async function writeCoalesced(handle: FileHandle, body: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, durable: boolean): Promise<number> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let written = 0;
  let syncedAt = 0;
  let syncing: Promise<void> | null = null;
  const flush = async () => {
    if (pendingBytes === 0) return;
    written += await writeAllOf(handle, pending);
    pending = [];
    pendingBytes = 0;
    if (durable && !syncing && written - syncedAt >= SYNC_EVERY_BYTES) {
      syncedAt = written;
      // A failure here shows again in the sync that ends the write.
      syncing = handle.datasync().then(
        () => void (syncing = null),
        () => void (syncing = null),
      );
    }
  };
  try {
    for await (const chunk of body) {
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      if (pendingBytes >= WRITE_BATCH_BYTES) await flush();
    }
    await flush();
  } finally {
    // Never left running against a handle about to close.
    await (syncing as Promise<void> | null);
  }
  return written;
}

/** Writes the chunks end to end with as few writev calls as the kernel allows. */
async function writeAllOf(handle: FileHandle, chunks: Uint8Array[]): Promise<number> {
  let left = [...chunks];
  let done = 0;
  while (left.length > 0) {
    let n = (await handle.writev(left)).bytesWritten;
    done += n;
    // A short write: drop what went, and the written start of the chunk it stopped in.
    while (left.length > 0 && n >= left[0]!.byteLength) n -= left.shift()!.byteLength;
    if (n > 0) left = [left[0]!.subarray(n), ...left.slice(1)];
  }
  return done;
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function* walk(dir: string): AsyncIterable<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: unknown) => {
    if (isMissing(err) || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}
