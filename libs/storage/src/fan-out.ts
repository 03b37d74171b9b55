/** How many chunks a consumer may fall behind before the source waits for it. */
const CHANNEL_CHUNKS = 16;

/** A bounded queue of chunks between one producer and one consumer, with backpressure both ways. */
class Channel implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private closed = false;
  private failure: unknown = null;
  private wakeReader: (() => void) | null = null;
  private wakeWriter: (() => void) | null = null;

  async push(chunk: Uint8Array): Promise<void> {
    while (this.queue.length >= CHANNEL_CHUNKS && !this.closed) await new Promise<void>((resolve) => (this.wakeWriter = resolve));
    if (this.closed) return;
    this.queue.push(chunk);
    this.wake('reader');
  }

  end(failure: unknown = null): void {
    this.failure ??= failure;
    this.closed = true;
    this.wake('reader');
    this.wake('writer');
  }

  /** The consumer stopped early (it failed, or needed no more): pushes are dropped from now on. */
  private abandon(): void {
    this.closed = true;
    this.queue.length = 0;
    this.wake('writer');
  }

  private wake(who: 'reader' | 'writer'): void {
    const wake = who === 'reader' ? this.wakeReader : this.wakeWriter;
    if (who === 'reader') this.wakeReader = null;
    else this.wakeWriter = null;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    try {
      for (;;) {
        const chunk = this.queue.shift();
        if (chunk) {
          this.wake('writer');
          yield chunk;
          continue;
        }
        if (this.closed) {
          if (this.failure) throw this.failure;
          return;
        }
        await new Promise<void>((resolve) => (this.wakeReader = resolve));
      }
    } finally {
      this.abandon();
    }
  }
}

/**
 * Feeds one stream of chunks to several consumers at once (an upload to the store and to the parser, say), each
 * at its own pace within a small bound, and resolves with every consumer's result. If a consumer fails, the source
 * stops being read and the others see the failure; if the source fails, every consumer does.
 */
export async function fanOut<T extends unknown[]>(
  source: AsyncIterable<Uint8Array>,
  consumers: { [K in keyof T]: (chunks: AsyncIterable<Uint8Array>) => Promise<T[K]> },
): Promise<T> {
  const channels = consumers.map(() => new Channel());
  let stop: unknown = null;
  const results = consumers.map((consume, i) =>
    consume(channels[i]).catch((err: unknown) => {
      stop ??= err;
      for (const c of channels) c.end(err);
      throw err;
    }),
  );
  results.forEach((r) => r.catch(() => undefined));
  try {
    for await (const chunk of source) {
      if (stop) break;
      await Promise.all(channels.map((c) => c.push(chunk)));
    }
    for (const c of channels) c.end();
  } catch (err) {
    for (const c of channels) c.end(err);
  }
  return (await Promise.all(results)) as T;
}
