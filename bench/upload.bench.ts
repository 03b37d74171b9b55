/**
 * Issue #16, uploads: POST /v1/datasets (the client's clock: first byte sent to the 201 with rows and column types,
 * the file streamed from disk) against polars.read_csv of the same file in a fresh process (its read alone, imports
 * excluded), on a 1M × 12 string-heavy CSV (4 high-cardinality string columns; target ≤ 2×) and a numeric 1M × 30
 * CSV (≤ 1.5×), as the median of paired repeats; then the API's peak RSS while a 2M × 30 file streams in (≤ 300 MB).
 * The API runs in its own process, as `npm start` runs it. Sizes: BENCH_UPLOAD_ROWS (1000000), BENCH_UPLOAD_BIG_ROWS
 * (2000000), BENCH_UPLOAD_REPEATS (3).
 */
import { numericCsv, stringHeavyCsv } from './support/bench-data';
import { uploadDatasetFile } from './support/job-runs';
import { loadAverage } from './support/machine-load';
import { cpuSeconds, ownCpuSecondsWithChildren, resetPeakRss, statusBytes } from './support/proc-status';
import { runPeerTimed } from './support/python-peer';
import { runBench } from './support/run-bench';
import { startServiceStack, type ServiceStack } from './support/service-stack';
import { fmt, percentile, report, reportPairedRatio } from './support/stats';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROWS = env('BENCH_UPLOAD_ROWS', 1_000_000);
const BIG_ROWS = env('BENCH_UPLOAD_BIG_ROWS', 2_000_000);
const REPEATS = env('BENCH_UPLOAD_REPEATS', 3);
const mb = (bytes: number) => fmt(bytes / 2 ** 20, 0);

interface PolarsRead {
  seconds: number;
  cpuSeconds: number;
  rows: number;
  cols: number;
  peakRss: number;
}

let uploads = 0;

/**
 * One upload with the API's peak RSS and CPU during it, and the client's CPU (curl, or this process when it sends
 * the file itself); a fresh name each time, so nothing is answered from a previous upload.
 */
async function upload(stack: ServiceStack, path: string): Promise<{ seconds: number; peakRss: number; apiCpu: number; clientCpu: number; body: any }> {
  resetPeakRss(stack.api.pid);
  const apiCpu = cpuSeconds(stack.api.pid);
  const clientCpu = ownCpuSecondsWithChildren();
  const { seconds, body } = await uploadDatasetFile(stack.client, `upload-${uploads++}`, path);
  return { seconds, peakRss: statusBytes('VmHWM', stack.api.pid), apiCpu: cpuSeconds(stack.api.pid) - apiCpu, clientCpu: ownCpuSecondsWithChildren() - clientCpu, body };
}

async function versusPolars(stack: ServiceStack, label: string, file: { path: string; bytes: number }, target: string): Promise<void> {
  const runs: { api: number; apiPeak: number; apiCpu: number; clientCpu: number; polars: number; polarsCpu: number; polarsWall: number; polarsPeak: number; body: any }[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const api = await upload(stack, file.path);
    const polars = await runPeerTimed<PolarsRead>('read_csv.py', ['polars', file.path]);
    runs.push({ ...api, api: api.seconds, apiPeak: api.peakRss, polars: polars.result.seconds, polarsCpu: polars.result.cpuSeconds, polarsWall: polars.wallSeconds, polarsPeak: polars.result.peakRss });
  }
  const med = (f: (r: (typeof runs)[number]) => number) => percentile(runs.map(f), 50);
  const types: Record<string, number> = {};
  for (const c of runs[0]!.body.columns as { type: string }[]) types[c.type] = (types[c.type] ?? 0) + 1;
  console.log(`\n${label} (${mb(file.bytes)} MB), ${REPEATS} paired repeats`);
  report('API: upload → 201 (s), rate (MB/s)', `${fmt(med((r) => r.api))}  ${fmt(file.bytes / 2 ** 20 / med((r) => r.api), 0)}`);
  report('API: rows × columns, types', `${runs[0]!.body.rows} × ${runs[0]!.body.columns.length}, ${Object.entries(types).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  report('polars.read_csv: read (s), process wall (s)', `${fmt(med((r) => r.polars))}  ${fmt(med((r) => r.polarsWall))}`);
  reportPairedRatio('API upload / polars read', med((r) => r.api) / med((r) => r.polars), runs.map((r) => r.api / r.polars), target, 2);
  report('API upload / polars process wall', fmt(med((r) => r.api) / med((r) => r.polarsWall), 2));
  report('CPU (s): API, the client sending, polars read', `${fmt(med((r) => r.apiCpu))}  ${fmt(med((r) => r.clientCpu))}  ${fmt(med((r) => r.polarsCpu))}`);
  report('peak RSS: API during the upload / polars (MB)', `${mb(med((r) => r.apiPeak))} / ${mb(med((r) => r.polarsPeak))}`);
}

async function main(): Promise<void> {
  const load = loadAverage();
  const stack = await startServiceStack();
  try {
    const warm = await numericCsv(2000, 30);
    await upload(stack, warm.path);
    await versusPolars(stack, `(a) ${ROWS} × 12 string-heavy CSV`, await stringHeavyCsv(ROWS), '≤ 2');
    await versusPolars(stack, `(b) ${ROWS} × 30 numeric CSV`, await numericCsv(ROWS, 30), '≤ 1.5');
    const big = await numericCsv(BIG_ROWS, 30);
    const runs = [];
    for (let i = 0; i < Math.max(1, Math.min(REPEATS, 2)); i++) runs.push(await upload(stack, big.path));
    console.log(`\n(c) ${BIG_ROWS} × 30 numeric CSV (${mb(big.bytes)} MB) through the API`);
    report('upload → 201 (s), rate (MB/s)', `${fmt(percentile(runs.map((r) => r.seconds), 50))}  ${fmt(big.bytes / 2 ** 20 / percentile(runs.map((r) => r.seconds), 50), 0)}`);
    report('API peak RSS during the upload (MB)', mb(Math.max(...runs.map((r) => r.peakRss))), '≤ 300');
    report('API RSS after it (MB)', mb(statusBytes('VmRSS', stack.api.pid)));
  } finally {
    await stack.stop();
    load.report();
  }
}

runBench(main);
