/**
 * Run as its own process by the CSV ingest and engines benches: reads one CSV with readDataset and prints wall time, peak RSS
 * (VmHWM) and the inferred column types as JSON, so the peak belongs to this read alone; then reads it once more in the same
 * process (`againSeconds`), as a long-running worker process reads its next dataset.
 */
import { readDataset } from '@trainyard/ml';
import { statusBytes } from './proc-status';

/** One read; its frame is dropped on return, so a second read does not run beside the first's columns. */
async function readOnce(path: string) {
  const t0 = performance.now();
  const frame = await readDataset(path, 'csv');
  const seconds = (performance.now() - t0) / 1000;
  const types: Record<string, number> = {};
  for (const c of frame.columns) types[c.type] = (types[c.type] ?? 0) + 1;
  return { seconds, rows: frame.rowCount, cols: frame.columns.length, types };
}

async function main(): Promise<void> {
  const path = process.argv[2]!;
  const startRss = statusBytes('VmRSS');
  const first = await readOnce(path);
  const peakRss = statusBytes('VmHWM');
  const again = await readOnce(path);
  console.log(JSON.stringify({ ...first, againSeconds: again.seconds, startRss, peakRss }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
