import { Logger } from '@nestjs/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { LiveListener } from './live-listener';
import type { SseConnection } from './sse-connection';

/** Reads of one feed are at least this far apart, however fast the writers announce changes. */
const MIN_REFRESH_INTERVAL_MS = 100;

export interface FeedSubscriber {
  sse: SseConnection;
}

/**
 * One resource's live feed, shared by every stream open on it: a change notice triggers one read of what is new,
 * and that read is fanned out to all subscribers, each filtering by its own cursor. Reads never overlap and are
 * throttled, so a job writing 40 progress updates a second costs at most 10 reads a second, whatever the clients.
 */
export abstract class LiveFeed<S extends FeedSubscriber> {
  protected readonly subscribers = new Set<S>();
  private readonly logger = new Logger(this.constructor.name);
  private readonly unwatch: () => void;
  private running = false;
  private again = false;

  constructor(
    listener: LiveListener,
    protected readonly orm: MikroORM,
    /** The job's or study's id; `topic` is what the listener wakes it by. */
    protected readonly id: string,
    topic: string,
    private readonly onEmpty: () => void,
  ) {
    this.unwatch = listener.watch(topic, () => this.poke());
  }

  add(subscriber: S): void {
    this.subscribers.add(subscriber);
    subscriber.sse.onClose(() => this.remove(subscriber));
    this.poke();
  }

  /** Sends an event to every subscriber and ends their streams (the resource reached its end). */
  protected endAll(event: string, data: unknown, id: (s: S) => string | undefined): void {
    for (const s of [...this.subscribers]) {
      s.sse.send(event, data, id(s));
      s.sse.end();
    }
  }

  /** Asks for another read right after this one (a read stopped at its row limit). */
  protected pokeAgain(): void {
    this.again = true;
  }

  /** Asks for a read in `ms`, whether or not anything announces a change by then. */
  protected readAgainIn(ms: number): void {
    setTimeout(() => this.poke(), ms).unref();
  }

  /** Reads what changed and sends it; runs one at a time. */
  protected abstract refresh(): Promise<void>;

  private remove(subscriber: S): void {
    if (!this.subscribers.delete(subscriber) || this.subscribers.size > 0) return;
    this.unwatch();
    this.onEmpty();
  }

  private poke(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.refresh();
      } catch (err) {
        // The fallback poll or the next notice tries again; a stream is never failed by one bad read.
        this.logger.warn(`live feed read failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (this.again && this.subscribers.size > 0) await new Promise((r) => setTimeout(r, MIN_REFRESH_INTERVAL_MS));
    } while (this.again && this.subscribers.size > 0);
    this.running = false;
  }
}

/** The open feeds by resource id: one per resource, dropped when its last subscriber leaves. */
export class FeedRegistry<F> {
  private readonly feeds = new Map<string, F>();

  /** The feed of `key`, made by `create` (given the hook to call when it empties) when there is none. */
  get(key: string, create: (onEmpty: () => void) => F): F {
    const existing = this.feeds.get(key);
    if (existing) return existing;
    const feed: F = create(() => {
      if (this.feeds.get(key) === feed) this.feeds.delete(key);
    });
    this.feeds.set(key, feed);
    return feed;
  }
}
