import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open as openFile, readFile, rename, rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gzipSync } from 'node:zlib';
import type { StoredObject } from '@trainyard/contracts';
import { VerifiedFiles, sha256Of } from './file-digest';
import type { LocalCache, LocalFile } from './local-cache';
import { objectKeys } from './object-keys';
import type { ObjectBody, ObjectStore } from './object-store';
import { ArtifactCorruptError, ObjectNotFoundError } from './storage-errors';

export interface PutBytesOptions {
  /** See PutOptions.durable: the only copy of something a user made. */
  durable?: boolean;
  /** Set false for content known not to compress (float matrices). */
  compress?: boolean;
}

/** Bodies smaller than this are never compressed; the sample decides for the rest. */
const COMPRESS_MIN_BYTES = 4096;
const COMPRESS_SAMPLE_BYTES = 64 * 1024;
/** Compress when the sample shrinks below this share of its size. */
const COMPRESS_WORTH = 0.8;

/**
 * The data plane: every object a process hands to another goes in here and comes out checked against its sha256.
 * On a remote store, writes compress what pays (a sample decides) and go through the local cache as well, so the
 * next step on the same machine reads its own copy; reads fill the cache once. On a local store, objects are read
 * in place (no copy) and are hashed the first time this process reads them.
 */
export class Storage {
  private readonly verified = new VerifiedFiles();

  constructor(
    readonly store: ObjectStore,
    readonly cache: LocalCache,
  ) {}

  get location(): string {
    return this.store.location;
  }

  /** Stores bytes already in memory. */
  async putBytes(key: string, data: Uint8Array, options: PutBytesOptions = {}): Promise<StoredObject> {
    const sha256 = sha256Of(data);
    const gzip = !this.store.isLocal && options.compress !== false && compressionPays(data);
    const body = gzip ? gzipSync(data, { level: 6 }) : data;
    await this.store.put(key, body, { durable: options.durable, contentEncoding: gzip ? 'gzip' : undefined });
    const object: StoredObject = { key, sha256, size: data.byteLength, encoding: gzip ? 'gzip' : 'identity' };
    if (!this.store.isLocal) await this.keepLocal(object, [data]);
    return object;
  }

  /**
   * Stores a body that arrives in pieces (a file being built, an upload being received) without joining them,
   * hashing as it goes. Identity encoding: large bodies here are matrices and files that do not compress well.
   */
  async putStream(key: string, body: ObjectBody, options: { durable?: boolean } = {}): Promise<StoredObject> {
    const hash = createHash('sha256');
    let size = 0;
    // On a remote store the pieces are also written to a local file, which becomes this process's cached copy.
    const copyPath = this.store.isLocal ? null : await this.cache.scratchPath();
    const copy = copyPath ? await openFile(copyPath, 'wx', 0o600) : null;
    const hashed = async function* (source: ObjectBody) {
      for await (const chunk of source instanceof Uint8Array ? [source] : source) {
        hash.update(chunk);
        size += chunk.byteLength;
        if (copy) await copy.write(chunk);
        yield chunk;
      }
    };
    try {
      await this.store.put(key, hashed(body), { durable: options.durable });
      await copy?.close();
      const object: StoredObject = { key, sha256: hash.digest('hex'), size, encoding: 'identity' };
      if (copyPath) (await this.cache.fill(object.sha256, object.size, (path) => rename(copyPath, path))).release();
      return object;
    } finally {
      await copy?.close().catch(() => undefined);
      if (copyPath) await rm(copyPath, { force: true });
    }
  }

  /** An object's content in memory, checked. */
  async readBytes(object: StoredObject): Promise<Buffer> {
    const local = await this.open(object);
    try {
      return await readFile(local.path);
    } finally {
      local.release();
    }
  }

  /**
   * A local file with the object's content, checked, kept until released: the store's own file on a local
   * store, else the cache's copy (fetched once, refetched when damaged).
   */
  async open(object: StoredObject): Promise<LocalFile> {
    const inPlace = object.encoding === 'identity' ? this.store.localPath(object.key) : null;
    if (inPlace) {
      const ok = await this.verified.check(inPlace, object.sha256).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectNotFoundError(object.key);
        throw err;
      });
      if (!ok) throw new ArtifactCorruptError(object.key, object.sha256, 'a different content');
      return { path: inPlace, release: () => undefined };
    }
    // A damaged download is fetched once more before the object counts as corrupt.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.cache.fill(object.sha256, object.size, (path) => this.download(object, path));
      } catch (err) {
        if (!(err instanceof ArtifactCorruptError) || attempt >= 2) throw err;
      }
    }
  }

  /**
   * Describes an object written before objects were content-addressed (a data dir from an earlier release): hashes
   * its content as it is now, so every later read is checked against that. Null when the key holds nothing.
   */
  async adopt(key: string): Promise<StoredObject | null> {
    const info = await this.store.head(key);
    if (!info) return null;
    const gzip = info.contentEncoding === 'gzip';
    const hash = createHash('sha256');
    let size = 0;
    const stored = await this.store.get(key);
    const body = gzip ? stored.pipe(createGunzip()) : stored;
    if (body !== stored) stored.once('error', (err) => body.destroy(err));
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.byteLength;
    }
    return { key, sha256: hash.digest('hex'), size, encoding: gzip ? 'gzip' : 'identity' };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.store.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await this.store.delete(key);
  }

  async deletePrefix(prefix: string): Promise<number> {
    return this.store.deletePrefix(prefix);
  }

  /** Bytes [start, end) of an object as stored (identity encoding only), e.g. a dataset's first rows. */
  async readRange(object: StoredObject, start: number, end: number): Promise<Buffer> {
    if (object.encoding !== 'identity') throw new Error(`ranges of ${object.encoding} objects are not supported`);
    return this.store.getRange(object.key, start, end);
  }

  /** Removes what interrupted requests left: unfinished uploads and scratch objects older than `olderThanMs`. */
  async sweep(olderThanMs: number): Promise<number> {
    let removed = await this.store.sweepIncomplete(olderThanMs);
    const cutoff = Date.now() - olderThanMs;
    const prefix = `${objectKeys.scratch().split('/')[0]}/`;
    for await (const object of this.store.list(prefix)) {
      if (object.lastModified.getTime() < cutoff) {
        await this.store.delete(object.key);
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private async download(object: StoredObject, path: string): Promise<void> {
    const source: Readable = await this.store.get(object.key);
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const sink = createWriteStream(path, { mode: 0o600 });
    if (object.encoding === 'gzip') await pipeline(source, createGunzip(), tap, sink);
    else await pipeline(source, tap, sink);
    const actual = hash.digest('hex');
    if (actual !== object.sha256 || size !== object.size) throw new ArtifactCorruptError(object.key, object.sha256, actual);
  }

  /** Writes what this process just stored into its cache, so a later step here reads it without a download. */
  private async keepLocal(object: StoredObject, parts: readonly Uint8Array[]): Promise<void> {
    const lease = await this.cache.fill(object.sha256, object.size, async (path) => {
      const handle = await openFile(path, 'wx', 0o600);
      try {
        for (const part of parts) await handle.write(part);
      } finally {
        await handle.close();
      }
    });
    lease.release();
  }
}

/** Whether gzip shrinks a sample of the body enough to be worth its time. */
function compressionPays(data: Uint8Array): boolean {
  if (data.byteLength < COMPRESS_MIN_BYTES) return false;
  const sample = data.subarray(0, Math.min(data.byteLength, COMPRESS_SAMPLE_BYTES));
  return gzipSync(sample, { level: 1 }).byteLength < sample.byteLength * COMPRESS_WORTH;
}
