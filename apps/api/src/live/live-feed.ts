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

/** How far below the newest id a feed looks again for rows committed out of order. */
const LOOKBACK = 1000n;
const MAX_REMEMBERED = 4096;

/**
 * What one subscriber has been sent from one table whose ids come from a sequence. Ids are taken when a row is
 * inserted but become visible when it commits, so two writers can commit out of order: a read may see id 102
 * before 101. Reading again a window below the newest id, and remembering which ids were sent, delivers 101 once
 * when it appears. Nothing at or below `floor` (where the subscriber started) is sent.
 */
export class SentIds {
  private readonly recent = new Set<bigint>();
  private readonly floor: bigint;

  constructor(public newest: bigint) {
    this.floor = newest;
  }

  /** The id to read after. */
  readAfter(): bigint {
    const from = this.newest - LOOKBACK;
    return from > this.floor ? from : this.floor;
  }

  /** True the first time `id` is offered. */
  accept(id: bigint): boolean {
    if (id <= this.floor || this.recent.has(id)) return false;
    this.recent.add(id);
    if (id > this.newest) this.newest = id;
    if (this.recent.size > MAX_REMEMBERED) {
      const below = this.newest - LOOKBACK;
      for (const old of this.recent) if (old <= below) this.recent.delete(old);
    }
    return true;
  }
}
