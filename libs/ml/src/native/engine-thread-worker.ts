// The body of an EngineThread: binds one native library and runs its calls synchronously, in arrival order.
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineCallOutcome, EngineCallReply, EngineCallRequest, EngineLibrary, EngineProcedures } from './engine-thread';
import { koffi } from './koffi';

const library = workerData as EngineLibrary;
const lib = koffi.load(library.path);
const functions = new Map<string, (...args: unknown[]) => unknown>();
for (const [name, signature] of Object.entries(library.signatures)) {
  functions.set(name, lib.func(signature) as unknown as (...args: unknown[]) => unknown);
}
if (library.procedures) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { procedures } = require(library.procedures.module) as { procedures: EngineProcedures };
  for (const [name, procedure] of Object.entries(procedures(new Map(functions)))) functions.set(name, procedure);
}
const lastError = functions.get(library.lastErrorFunction)!;

parentPort!.on('message', ({ id, calls }: EngineCallRequest) => {
  const outcomes: EngineCallOutcome[] = [];
  let reply: EngineCallReply;
  try {
    for (const { name, args, returned } of calls) {
      const rc = functions.get(name)!(...args) as number;
      // The library keeps its last error per thread, so it is read here, right after the failed call.
      outcomes.push({ rc, error: rc === 0 ? null : String(lastError() ?? ''), returned: returned.map((i) => args[i]) });
      if (rc !== 0) break;
    }
    reply = { id, outcomes };
  } catch (err) {
    reply = { id, outcomes, thrown: `${calls[outcomes.length]?.name ?? '?'}: ${(err as Error).message}` };
  }
  parentPort!.postMessage(reply);
});
