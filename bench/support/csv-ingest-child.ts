/**
 * Run as its own process by the CSV ingest and engines benches: reads one CSV with readDataset and prints wall time, peak RSS
 * (VmHWM) and the inferred column types as JSON, so the peak belongs to this read alone.
 */
import { readDataset } from '@trainyard/ml';
import { statusBytes } from './proc-status';

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
