import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { VerifiedFiles } from './file-digest';

/** A local file with an object's content, kept from eviction until released. */
export interface LocalFile {
  path: string;
  release(): void;
}

interface Entry {
  size: number;
  pins: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Objects this process has fetched, as files named by their content's sha256, bounded in bytes and evicted least
 * recently used first (a file in use is never evicted). A file is hashed again before it is handed out when this
 * process has not yet checked it or it changed since, so a damaged cache is refetched, never trusted.
 */
export class LocalCache {
  private readonly entries = new Map<string, Entry>();
  private held = 0;
  private loading: Promise<void> | null = null;
  private readonly fills = new Map<string, Promise<void>>();
  private readonly verified = new VerifiedFiles();

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  get heldBytes(): number {
    return this.held;
  }

  /** A checked local copy of `sha256`'s content, or null when the cache has none. */
  async acquire(sha256: string): Promise<LocalFile | null> {
    await this.load();
    const entry = this.entries.get(sha256);
    if (!entry) return null;
    const path = this.pathOf(sha256);
    entry.pins++;
    const ok = await this.verified.check(path, sha256).catch(() => false);
    if (!ok) {
      entry.pins--;
      await this.remove(sha256);
      return null;
    }
    // Re-inserted so the Map's order is least to most recently used.
    this.entries.delete(sha256);
    this.entries.set(sha256, entry);
    void utimes(path, new Date(), new Date()).catch(() => undefined);
    return this.lease(sha256, entry);
  }

  /**
   * Fills the entry once (concurrent callers wait for one fill): `write(tempPath)` writes content it has checked
   * against `sha256` (and throws when it does not match). Returns a lease on the file.
   */
  async fill(sha256: string, size: number, write: (tempPath: string) => Promise<void>): Promise<LocalFile> {
    for (;;) {
      const hit = await this.acquire(sha256);
      if (hit) return hit;
      const running = this.fills.get(sha256);
      if (running) {
        // Whoever fills first holds its own lease; the others look again once it is in place.
        await running;
        continue;
      }
      const filling = this.adopt(sha256, size, write);
      // Waiters only learn that the fill is over; a failed fill is theirs to try again.
      this.fills.set(sha256, filling.then(() => undefined, () => undefined));
      try {
        return await filling;
      } finally {
        this.fills.delete(sha256);
      }
    }
  }

  /** A path in the cache's folder for a download under way (same filesystem, so adopting it is a rename). */
  async scratchPath(): Promise<string> {
    // The first load clears incoming/ of interrupted downloads: a path there is handed out only after it.
    await this.load();
    const dir = join(this.dir, 'incoming');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return join(dir, randomUUID());
  }

  private async adopt(sha256: string, size: number, write: (tempPath: string) => Promise<void>): Promise<LocalFile> {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    await this.load();
    const temporary = await this.scratchPath();
    try {
      await write(temporary);
      const path = this.pathOf(sha256);
      await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
      await rename(temporary, path);
      await this.verified.trust(path, sha256);
      const previous = this.entries.get(sha256);
      if (previous) this.held -= previous.size;
      const entry: Entry = { size, pins: (previous?.pins ?? 0) + 1 };
      this.entries.set(sha256, entry);
      this.held += size;
      await this.evict();
      return this.lease(sha256, entry);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  private lease(sha256: string, entry: Entry): LocalFile {
    let released = false;
    return {
      path: this.pathOf(sha256),
      release: () => {
        if (released) return;
        released = true;
        entry.pins--;
        void this.evict();
      },
    };
  }

  private async evict(): Promise<void> {
    for (const [sha256, entry] of this.entries) {
      if (this.held <= this.maxBytes) return;
      if (entry.pins > 0) continue;
      await this.remove(sha256);
    }
  }

  private async remove(sha256: string): Promise<void> {
    const entry = this.entries.get(sha256);
    if (!entry || entry.pins > 0) return;
    this.entries.delete(sha256);
    this.held -= entry.size;
    const path = this.pathOf(sha256);
    this.verified.forget(path);
    await rm(path, { force: true });
  }

  private pathOf(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** Indexes what an earlier run of this process left, oldest first, and clears interrupted downloads. */
  private load(): Promise<void> {
    this.loading ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      await rm(join(this.dir, 'incoming'), { recursive: true, force: true });
      const found: { sha256: string; size: number; used: number }[] = [];
      for (const shard of await readdir(this.dir)) {
        if (!/^[0-9a-f]{2}$/.test(shard)) continue;
        for (const name of await readdir(join(this.dir, shard)).catch(() => [] as string[])) {
          if (!SHA256.test(name)) continue;
          const s = await stat(join(this.dir, shard, name)).catch(() => null);
          if (s?.isFile()) found.push({ sha256: name, size: s.size, used: s.mtimeMs });
        }
      }
      for (const f of found.sort((a, b) => a.used - b.used)) {
        this.entries.set(f.sha256, { size: f.size, pins: 0 });
        this.held += f.size;
      }
      await this.evict();
    })();
    return this.loading;
  }
}
