import type { Readable } from 'node:stream';

/** Chunks held before the request is paused: a few socket reads. */
const HIGH_WATER = 4;

export interface RequestChunks {
  chunks: AsyncIterable<Buffer>;
  /** Stops delivering and reads the rest of the body into nothing, so the connection can carry the answer. */
  drain(): void;
}

/**
 * A request body as chunks pulled one at a time, pausing the request while they wait (backpressure). Unlike the
 * stream's own iterator, giving up on it never destroys the request: a refusal (413, 400) still reaches the client.
 * A body that stops before its end (the client went away) fails the pull that is waiting.
 */
export function requestChunks(req: Readable): RequestChunks {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | null = null;
  let draining = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const onData = (chunk: Buffer) => {
    if (draining) return;
    queue.push(chunk);
    if (queue.length >= HIGH_WATER) req.pause();
    notify();
  };
  const onEnd = () => {
    ended = true;
    notify();
  };
  const onFail = (err?: Error) => {
    if (!ended) failure ??= err ?? new Error('the client closed the connection before the body ended');
    notify();
  };
  req.on('data', onData).once('end', onEnd).once('error', onFail).once('aborted', () => onFail(new Error('aborted'))).once('close', () => onFail());
  const chunks: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      async next(): Promise<IteratorResult<Buffer>> {
        for (;;) {
          if (queue.length > 0) {
            const value = queue.shift()!;
            if (queue.length < HIGH_WATER && !draining) req.resume();
            return { value, done: false };
          }
          if (failure) throw failure;
          if (ended || draining) return { value: undefined, done: true };
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    }),
  };
  return {
    chunks,
    drain() {
      draining = true;
      queue.length = 0;
      req.resume();
      notify();
    },
  };
}
