/** The shape of a koffi-bound function: callable synchronously, or via `.async(...args, cb)` on a worker thread. */
export interface NativeFunction {
  (...args: unknown[]): unknown;
  async: (...args: unknown[]) => void;
}

/** Runs a native call on koffi's worker pool so the event loop stays free while it works. */
export function callOffThread<T>(fn: NativeFunction, ...args: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn.async(...args, (err: unknown, result: T) => (err ? reject(err) : resolve(result)));
  });
}
