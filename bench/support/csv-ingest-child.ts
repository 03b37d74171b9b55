/**
 * Run as its own process by the engines bench: reads one CSV with readDataset and prints wall time, peak RSS
 * (VmHWM) and the inferred column types as JSON, so the peak belongs to this read alone.
 */
import { readFileSync } from 'node:fs';
import { readDataset } from '@trainyard/ml';

function statusBytes(field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return line ? Number(/(\d+)/.exec(line)![1]) * 1024 : NaN;
}

async function main(): Promise<void> {
  const path = process.argv[2]!;
  const startRss = statusBytes('VmRSS');
  const t0 = performance.now();
  const frame = await readDataset(path, 'csv');
  const seconds = (performance.now() - t0) / 1000;
  const types: Record<string, number> = {};
  for (const c of frame.columns) types[c.type] = (types[c.type] ?? 0) + 1;
  console.log(JSON.stringify({ seconds, rows: frame.rowCount, cols: frame.columns.length, types, startRss, peakRss: statusBytes('VmHWM'), heapUsed: process.memoryUsage().heapUsed }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
