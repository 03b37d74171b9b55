/**
 * Issue #3, on its own: CSV ingest vs polars and pandas on the same mixed-type file (wall time and peak RSS,
 * each reader in a fresh process, then a second read in that process as a long-running service reads; target
 * ≤ 1.5× polars), then a training job's load-features + preprocess steps on that file, phase by phase.
 * Sizes: BENCH_CSV_ROWS (default 1,000,000; 100000 for a quick run), BENCH_CSV_REPEATS (default 5).
 * Needs no database or Temporal; needs the Python peers in bench/.venv (scripts/bench.mjs installs them).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withContention } from './support/cpu-contention';
import { compareCsvIngest, reportCsvIngest } from './support/csv-ingest';
import type { LoadPreprocessPhase } from './support/load-preprocess-child';
import { writeMixedCsv } from './support/mixed-csv';
import { peersInstalled, runNodeChild } from './support/python-peer';
import { runBench } from './support/run-bench';
import { fmt, report } from './support/stats';

const ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_CSV_REPEATS ?? 5);
const mb = (bytes: number) => fmt(bytes / 2 ** 20, 0);

async function loadAndPreprocess(path: string): Promise<void> {
  const run = await runNodeChild<{ startRss: number; phases: LoadPreprocessPhase[]; rows: number; features: number }>('load-preprocess-child', [path, 'bool_0']);
  console.log(`\nload-features + preprocess (target bool_0, ${run.features} features, holdout 70/10/20), one process:`);
  for (const p of run.phases) report(`  ${p.name} (s, peak RSS MB)`, `${fmt(p.seconds)}  ${mb(p.peakRss)}`);
  const total = run.phases.reduce((s, p) => s + p.seconds, 0);
  report('load + preprocess total (s)', fmt(total));
  report('peak RSS (MB), peak − RSS at start', `${mb(run.phases.at(-1)!.peakRss)}  ${mb(run.phases.at(-1)!.peakRss - run.startRss)}`);
}

async function main(): Promise<void> {
  if (!peersInstalled()) throw new Error('bench/.venv has no Python peers: run `npm run bench -- csv-ingest` to install them');
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-csv-bench-'));
  try {
    const path = join(dir, 'mixed.csv');
    await writeMixedCsv(path, ROWS);
    const { size } = await stat(path);
    console.log(`CSV ingest: ${ROWS} rows × 30 mixed columns (${mb(size)} MB), each reader in a fresh process and then once more in that process, median of ${REPEATS}`);
    const ingest = await withContention(() => compareCsvIngest(path, REPEATS));
    reportCsvIngest(ingest.result);
    report('CPU share taken by other processes meanwhile', `${fmt(100 * ingest.othersShare, 0)}%`);
    const pipeline = await withContention(() => loadAndPreprocess(path));
    report('CPU share taken by other processes meanwhile', `${fmt(100 * pipeline.othersShare, 0)}%`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
