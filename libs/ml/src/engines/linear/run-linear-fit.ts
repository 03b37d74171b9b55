import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MlError } from '../../errors';
import type { LinearFitInput, LinearFitOutput, LinearProgress } from './linear-fit';
import { CONTROL_CONTINUE, CONTROL_STOP } from './linear-worker-protocol';
import type { LinearWorkerMessage } from './linear-worker-protocol';

const WORKER_FILE = join(__dirname, `linear-fit.worker${extname(__filename)}`);

/**
 * Runs fitLinear on a worker thread so the event loop keeps serving heartbeats; the input's buffers are
 * transferred (callers pass copies). `onProgress` resolving true stops the fit after that iteration.
 */
export function runLinearFitInWorker(input: LinearFitInput, onProgress: (p: LinearProgress) => Promise<boolean>): Promise<LinearFitOutput> {
  const control = new SharedArrayBuffer(4);
  const flag = new Int32Array(control);
  const buffers = [input.train, input.validation].flatMap((m) => (m ? [m.data, m.labels, m.weights] : [])).flatMap((a) => (a ? [a.buffer] : []));
  const worker = new Worker(WORKER_FILE, { workerData: { input, control }, transferList: buffers as ArrayBuffer[] });
  return new Promise<LinearFitOutput>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(err instanceof MlError ? err : new MlError('TRAINING_FAILED', `Linear fit failed: ${(err as Error)?.message ?? err}`));
    };
    worker.on('message', (message: LinearWorkerMessage) => {
      if (message.type === 'done') {
        settled = true;
        resolve(message.output);
        return;
      }
      onProgress(message.progress).then((stop) => {
        Atomics.store(flag, 0, stop ? CONTROL_STOP : CONTROL_CONTINUE);
        Atomics.notify(flag, 0);
      }, fail);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!settled) fail(new Error(`worker exited with code ${code} before finishing`));
    });
  });
}
