import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change (and on reload); keeps the last data while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState((s) => ({ data: s.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/**
 * Reads a live event stream (`open` yields events) for as long as the component lives, reconnecting with the last
 * event id if the connection drops before `end`. Events are handed over in batches, at most `everyMs` apart, so a
 * fast stream re-renders a few times a second rather than per event.
 */
export function useEventStream<E extends { event: string; id: string | null }>(
  open: ((lastEventId: string | null, signal: AbortSignal) => AsyncGenerator<E>) | null,
  onEvents: (events: E[]) => void,
  deps: unknown[],
  everyMs = 250,
): void {
  const handler = useRef(onEvents);
  handler.current = onEvents;
  useEffect(() => {
    if (!open) return;
    const controller = new AbortController();
    let pending: E[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      handler.current(batch);
    };
    const timer = setInterval(flush, everyMs);
    void (async () => {
      let lastId: string | null = null;
      for (let attempt = 0; attempt < 20 && !controller.signal.aborted; attempt++) {
        try {
          for await (const e of open(lastId, controller.signal)) {
            lastId = e.id ?? lastId;
            pending.push(e);
            if (e.event === 'end') {
              flush();
              return;
            }
          }
        } catch {
          if (controller.signal.aborted) return;
        }
        await new Promise((r) => setTimeout(r, 1000 * Math.min(5, attempt + 1)));
      }
    })();
    return () => {
      controller.abort();
      clearInterval(timer);
      flush();
    };
  }, deps);
}
