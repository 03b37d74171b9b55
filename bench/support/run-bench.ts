const interruptCleanups = new Set<() => Promise<void>>();
let interrupted = false;

/**
 * Runs `cleanup` if the bench is interrupted (SIGINT, SIGTERM) before it finishes: the processes it started stop and
 * what it stored elsewhere goes. Returns a function that unregisters it, for when the bench cleaned up itself.
 */
export function atInterrupt(cleanup: () => Promise<void>): () => void {
  if (interruptCleanups.size === 0 && !interrupted) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void onInterrupt(signal));
  }
  interruptCleanups.add(cleanup);
  return () => void interruptCleanups.delete(cleanup);
}

async function onInterrupt(signal: string): Promise<void> {
  if (interrupted) return;
  interrupted = true;
  console.error(`${signal}: cleaning up`);
  await Promise.all([...interruptCleanups].map((c) => c().catch(() => undefined)));
  process.exit(130);
}

/**
 * Runs a bench's main and exits: 0 when it finished, 1 after printing the error when it threw. Exiting also ends
 * the worker threads and native thread pools a bench leaves idle, which would otherwise keep the process alive.
 */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
