import * as ort from 'onnxruntime-node';

interface Entry {
  session: Promise<ort.InferenceSession>;
  bytes: number;
}

/**
 * onnxruntime sessions shared across requests, keyed by artifact sha256 and bounded by the size of the models
 * they hold; the least recently used are released first.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly providers: string[] = ['cpu'],
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get heldBytes(): number {
    return this.held;
  }

  async get(key: string, load: () => Promise<Uint8Array>): Promise<ort.InferenceSession> {
    const hit = this.entries.get(key);
    if (hit) {
      // Re-insert so Map order is least- to most-recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.session;
    }
    const bytes = await load();
    const entry: Entry = {
      session: ort.InferenceSession.create(bytes, { executionProviders: this.providers, graphOptimizationLevel: 'all' }),
      bytes: bytes.byteLength,
    };
    entry.session.catch(() => this.drop(key, entry));
    this.entries.set(key, entry);
    this.held += entry.bytes;
    this.evict(key);
    return entry.session;
  }

  private evict(keep: string): void {
    for (const [key, entry] of this.entries) {
      if (this.held <= this.maxBytes) break;
      if (key === keep) continue;
      this.drop(key, entry);
    }
  }

  private drop(key: string, entry: Entry): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.held -= entry.bytes;
    void entry.session.then((s) => s.release()).catch(() => undefined);
  }

  async clear(): Promise<void> {
    for (const [key, entry] of [...this.entries]) this.drop(key, entry);
  }
}
