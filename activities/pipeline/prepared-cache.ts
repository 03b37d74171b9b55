import type { StoredObject } from '@trainyard/contracts';
import type { PreparedData } from '@trainyard/ml';
import { readPrepared } from './prepared-objects';
import type { DataContext } from './step-context';

interface Entry {
  data: Promise<PreparedData>;
  bytes: number;
  usedAt: number;
}

/** A bundle nobody asked for this long is dropped, so an idle worker gives its memory back. */
const IDLE_MS = 10 * 60_000;

/**
 * Prepared bundles decoded in this process, shared by the trials of a study that land here: a trial then starts
 * training at once instead of reading its data again. Bounded in bytes, least recently used out first.
 */
export class PreparedCache {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly maxBytes: number) {}

  async get(ctx: DataContext, object: StoredObject): Promise<PreparedData> {
    const hit = this.entries.get(object.sha256);
    if (hit) {
      this.entries.delete(object.sha256);
      this.entries.set(object.sha256, hit);
      hit.usedAt = Date.now();
      return hit.data;
    }
    const entry: Entry = { data: readPrepared(ctx, object), bytes: object.size, usedAt: Date.now() };
    entry.data.catch(() => this.entries.delete(object.sha256));
    this.entries.set(object.sha256, entry);
    this.evict(object.sha256);
    this.timer ??= setInterval(() => this.dropIdle(), IDLE_MS / 4).unref();
    return entry.data;
  }

  private evict(keep: string): void {
    let held = [...this.entries.values()].reduce((n, e) => n + e.bytes, 0);
    for (const [sha, entry] of this.entries) {
      if (held <= this.maxBytes) return;
      if (sha === keep) continue;
      this.entries.delete(sha);
      held -= entry.bytes;
    }
  }

  private dropIdle(): void {
    for (const [sha, entry] of this.entries) if (Date.now() - entry.usedAt > IDLE_MS) this.entries.delete(sha);
    if (this.entries.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
