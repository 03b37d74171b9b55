import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { LIVE_CHANNEL, parseLiveNotice, type LiveNotice } from '@trainyard/db';
import { Client } from 'pg';

/** How often every watched topic is re-read anyway, for notifications lost while the listener reconnected. */
export const FALLBACK_POLL_MS = 5_000;
const RECONNECT_MS = 1_000;
/** The listener's application_name, so its one connection can be told apart in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = 'trainyard-live';

/**
 * The API's one LISTEN connection. Streams watch topics (`job:<id>`, `study:<id>`); a notification on
 * LIVE_CHANNEL wakes the watchers of the topics it names, and a slow timer wakes them all in case one was missed.
 * N open streams therefore cost one database connection and no queries while nothing changes.
 */
@Injectable()
export class LiveListener implements OnModuleDestroy {
  private readonly logger = new Logger('LiveListener');
  private readonly topics = new Map<string, Set<() => void>>();
  private client: Client | null = null;
  private connecting = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private fallbackTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly orm: MikroORM) {}

  /** Calls `onChange` whenever `topic` may have changed; returns the function that stops watching. */
  watch(topic: string, onChange: () => void): () => void {
    let watchers = this.topics.get(topic);
    if (!watchers) this.topics.set(topic, (watchers = new Set()));
    watchers.add(onChange);
    this.ensureListening();
    return () => {
      watchers.delete(onChange);
      if (watchers.size === 0 && this.topics.get(topic) === watchers) this.topics.delete(topic);
      if (this.topics.size === 0) this.stopFallback();
    };
  }

  /** Whether the LISTEN connection is up (tests and health). */
  get listening(): boolean {
    return this.client !== null;
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.stopFallback();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private ensureListening(): void {
    if (!this.fallbackTimer) {
      this.fallbackTimer = setInterval(() => this.wakeAll(), FALLBACK_POLL_MS);
      this.fallbackTimer.unref();
    }
    if (!this.client && !this.connecting && !this.reconnectTimer) void this.connect();
  }

  private stopFallback(): void {
    if (this.fallbackTimer) clearInterval(this.fallbackTimer);
    this.fallbackTimer = null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.connecting = true;
    const client = new Client({ connectionString: this.orm.config.get('clientUrl'), application_name: LISTENER_APPLICATION_NAME });
    client.on('notification', (msg) => {
      if (msg.channel !== LIVE_CHANNEL) return;
      const notice = parseLiveNotice(msg.payload);
      if (notice) this.dispatch(notice);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
      if (this.stopped) return void (await client.end());
      this.client = client;
      // Whatever changed before LISTEN took effect is read now.
      this.wakeAll();
    } catch (err) {
      this.lost(client, err);
    } finally {
      this.connecting = false;
    }
  }

  private lost(client: Client, err?: unknown): void {
    if (this.client === client) this.client = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (this.stopped || this.reconnectTimer) return;
    if (err) this.logger.warn(`live-event listener lost its connection (${err instanceof Error ? err.message : String(err)}); reconnecting`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.topics.size > 0 && !this.client && !this.connecting) void this.connect();
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }

  private dispatch(notice: LiveNotice): void {
    if (notice.job) this.wake(`job:${notice.job}`);
    if (notice.study) this.wake(`study:${notice.study}`);
  }

  private wake(topic: string): void {
    for (const onChange of this.topics.get(topic) ?? []) onChange();
  }

  private wakeAll(): void {
    for (const watchers of this.topics.values()) for (const onChange of watchers) onChange();
  }
}
