import { Readable } from 'node:stream';
import { checkedKey } from './object-keys';
import type { ObjectBody, ObjectInfo, ObjectStore, PutOptions } from './object-store';
import { ObjectNotFoundError, StorageUnavailableError } from './storage-errors';

interface Held {
  bytes: Buffer;
  lastModified: Date;
  contentEncoding?: 'gzip';
}

/**
 * Objects in this process's memory, for specs: a remote store as Storage sees one (no local paths, so reads go
 * through the cache), which a spec can take down to see how a step waits out an outage.
 */
export class MemoryObjectStore implements ObjectStore {
  readonly isLocal = false;
  private readonly objects = new Map<string, Held>();
  private outage: string | null = null;

  constructor(readonly location = 'memory://') {}

  /** Every call fails with StorageUnavailableError (saying `reason`) until `recover()`. */
  goDown(reason = 'the store is down'): void {
    this.outage = reason;
  }

  recover(): void {
    this.outage = null;
  }

  /** The keys held now, sorted. */
  keys(): string[] {
    return [...this.objects.keys()].sort();
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<{ storedBytes: number }> {
    this.reachable();
    checkedKey(key);
    const parts: Uint8Array[] = [];
    if (body instanceof Uint8Array) parts.push(body);
    else for await (const chunk of body) parts.push(chunk);
    // Copied: the caller may reuse its buffers, and a stored object never changes under a reader.
    const bytes = Buffer.concat(parts);
    this.objects.set(key, { bytes, lastModified: new Date(), contentEncoding: options.contentEncoding });
    return { storedBytes: bytes.byteLength };
  }

  async get(key: string): Promise<Readable> {
    return Readable.from([this.held(key).bytes]);
  }

  async getRange(key: string, start: number, end: number): Promise<Buffer> {
    // subarray clamps to the object's end, and gives nothing for a range that starts past it.
    return Buffer.from(this.held(key).bytes.subarray(start, Math.max(start, end)));
  }

  async head(key: string): Promise<(ObjectInfo & { contentEncoding?: string }) | null> {
    this.reachable();
    const held = this.objects.get(checkedKey(key));
    return held ? { key, size: held.bytes.byteLength, lastModified: held.lastModified, contentEncoding: held.contentEncoding } : null;
  }

  async delete(key: string): Promise<void> {
    this.reachable();
    this.objects.delete(checkedKey(key));
  }

  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    for await (const object of this.list(prefix)) {
      this.objects.delete(object.key);
      count++;
    }
    return count;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    this.reachable();
    for (const key of this.keys()) {
      const held = this.objects.get(key);
      if (held && key.startsWith(prefix)) yield { key, size: held.bytes.byteLength, lastModified: held.lastModified };
    }
  }

  localPath(): null {
    return null;
  }

  /** A put here is all or nothing: nothing incomplete is ever left. */
  async sweepIncomplete(): Promise<number> {
    this.reachable();
    return 0;
  }

  async close(): Promise<void> {}

  private held(key: string): Held {
    this.reachable();
    const held = this.objects.get(checkedKey(key));
    if (!held) throw new ObjectNotFoundError(key);
    return held;
  }

  private reachable(): void {
    if (this.outage !== null) throw new StorageUnavailableError(`object store ${this.location} is unavailable: ${this.outage}`);
  }
}
