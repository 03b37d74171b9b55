// Runs on the XGBoost engine thread (EngineLibrary.procedures): calls that hand XGBoost callbacks, which must be
// made and called on the thread that makes the call.
import type { EngineProcedures } from '../../native/engine-thread';
import { koffi } from '../../native/koffi';

const IterNext = koffi.proto('int TrainyardIterNext(void *iter)');
const IterReset = koffi.proto('void TrainyardIterReset(void *iter)');

export const procedures: EngineProcedures = (bound) => {
  const call = (name: string, ...args: unknown[]) => bound.get(name)!(...args) as number;
  return {
    /**
     * A QuantileDMatrix from one dense float32 batch, through XGBoost's data-iterator API: the proxy is handed the
     * batch (by address, as an array interface) on the first `next`, and the library bins it as it reads.
     */
    TrainyardQuantileDMatrixFromDense(data: unknown, rows: unknown, cols: unknown, ref: unknown, config: unknown, out: unknown): number {
      const proxyOut: (bigint | null)[] = [null];
      const created = call('XGProxyDMatrixCreate', proxyOut);
      if (created !== 0) return created;
      const proxy = proxyOut[0];
      const address = typeof data === 'bigint' ? data : koffi.address(data as Float32Array);
      const dense = JSON.stringify({ data: [Number(address), true], shape: [rows, cols], typestr: '<f4', version: 3 });
      let served = false;
      // A batch the proxy refused ends the iteration; the library then fails the call with its own error.
      const next = koffi.register(() => (served ? 0 : ((served = true), call('XGProxyDMatrixSetDataDense', proxy, dense) === 0 ? 1 : 0)), koffi.pointer(IterNext));
      const reset = koffi.register(() => void (served = false), koffi.pointer(IterReset));
      try {
        return call('XGQuantileDMatrixCreateFromCallback', null, proxy, ref, reset, next, config, out);
      } finally {
        koffi.unregister(next);
        koffi.unregister(reset);
        call('XGDMatrixFree', proxy);
      }
    },
  };
};
