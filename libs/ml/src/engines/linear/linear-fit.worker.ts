import { parentPort, workerData } from 'node:worker_threads';
import { fitLinear } from './linear-fit';
import type { LinearFitInput } from './linear-fit';
import { CONTROL_STOP, CONTROL_WAITING } from './linear-worker-protocol';
import type { LinearWorkerMessage } from './linear-worker-protocol';

const { input, control } = workerData as { input: LinearFitInput; control: SharedArrayBuffer };
const flag = new Int32Array(control);
const post = (message: LinearWorkerMessage) => parentPort!.postMessage(message);

// Lock-step with the parent: each iteration waits for onRound's verdict, so 'stop' lands on an exact round.
const output = fitLinear(input, (progress) => {
  post({ type: 'progress', progress });
  Atomics.wait(flag, 0, CONTROL_WAITING);
  return Atomics.exchange(flag, 0, CONTROL_WAITING) === CONTROL_STOP;
});
post({ type: 'done', output });
