import type { Readable } from 'node:stream';

/** What a body may be: bytes already in memory, pieces to write in order, or chunks produced as they come (a stream). */
export type ObjectBody = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export interface PutOptions {
  /** The encoding the bytes are stored in, kept as object metadata. */
  contentEncoding?: 'gzip';
  /**
   * The only copy of something a user made (an upload, a model): a local store syncs it to disk before the put
   * resolves. Objects a later step can remake (job intermediates) skip that cost.
   */
  durable?: boolean;
}

/**
 * A flat key → bytes store, the only place where data crosses between processes: a local directory or an
 * S3-compatible bucket. Keys are `/`-separated paths that objectKey() has checked; a put replaces the whole
 * object at once, so readers see the old bytes or the new ones, never a mix.
 */
export interface ObjectStore {
  /** Where the store is, for logs (never carries credentials). */
  readonly location: string;
  /** Whether objects live on this machine's filesystem, so localPath() can hand them out without a copy. */
  readonly isLocal: boolean;
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<{ storedBytes: number }>;
  /** The object's bytes as stored; ObjectNotFoundError when absent. */
  get(key: string): Promise<Readable>;
  /** Bytes [start, end) of the object as stored (fewer at its end). */
  getRange(key: string, start: number, end: number): Promise<Buffer>;
  head(key: string): Promise<(ObjectInfo & { contentEncoding?: string }) | null>;
  /** Idempotent: a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix` (which ends in `/`); returns how many. */
  deletePrefix(prefix: string): Promise<number>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** For a local store: the file that holds the object, to read in place. */
  localPath(key: string): string | null;
  /** Removes what interrupted writes left behind (temporary files, unfinished multipart uploads) older than `ms`. */
  sweepIncomplete(olderThanMs: number): Promise<number>;
  close(): Promise<void>;
}
