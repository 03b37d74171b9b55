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
