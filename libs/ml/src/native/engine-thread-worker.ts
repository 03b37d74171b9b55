// The body of an EngineThread: binds one native library and runs its calls synchronously, in arrival order.
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineCallReply, EngineCallRequest, EngineLibrary } from './engine-thread';
import { koffi } from './koffi';

const library = workerData as EngineLibrary;
const lib = koffi.load(library.path);
const functions = new Map<string, (...args: unknown[]) => unknown>();
for (const [name, signature] of Object.entries(library.signatures)) {
  functions.set(name, lib.func(signature) as unknown as (...args: unknown[]) => unknown);
}
const lastError = functions.get(library.lastErrorFunction)!;

parentPort!.on('message', ({ id, name, args, returned }: EngineCallRequest) => {
  let reply: EngineCallReply;
  try {
    const rc = functions.get(name)!(...args) as number;
    // The library keeps its last error per thread, so it is read here, right after the failed call.
    reply = { id, rc, error: rc === 0 ? null : String(lastError() ?? ''), returned: returned.map((i) => args[i]) };
  } catch (err) {
    reply = { id, thrown: (err as Error).message };
  }
  parentPort!.postMessage(reply);
});
