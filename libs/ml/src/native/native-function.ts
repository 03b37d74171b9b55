/** The shape of a koffi-bound function, called synchronously on the thread that holds it. */
export type NativeFunction = (...args: unknown[]) => unknown;
