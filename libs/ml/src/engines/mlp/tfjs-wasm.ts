/** The TensorFlow.js namespace; loaded lazily so importing @trainyard/ml does not pay for it. */
export type Tf = typeof import('@tensorflow/tfjs');

let loading: Promise<Tf> | null = null;

/** Loads TensorFlow.js and switches the process to the WASM backend, once per process. */
export function loadTf(): Promise<Tf> {
  loading ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js WASM backend failed to initialise');
    await tf.ready();
    return tf;
  })().catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}

/** Lets timers and heartbeats run between batches: WASM kernels execute on the JS thread. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
