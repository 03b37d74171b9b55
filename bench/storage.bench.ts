/**
 * Issue #15, the data plane: the same 200k × 28 XGBoost job end to end (upload + job) on the local store and on an
 * S3-compatible store (SeaweedFS from npm run bench, or any store the S3 variables name), in one run, two stacks
 * side by side: `execution.pipeline: staged` (every step hands its data through the store) held to S3 / local
 * ≤ 1.10, and the default pipeline beside it; the upload's rate into each store (≥ 100 MB/s on loopback); and a
 * cache hit shown by counting what a worker downloads: two staged jobs on one dataset through a counting proxy,
 * the second reads the dataset from the worker's cache. On S3, the API and the worker have data dirs of their own.
 * Sizes: BENCH_STORAGE_ROWS (200000), BENCH_STORAGE_REPEATS (3), BENCH_STORAGE_ROUNDS (100); BENCH_ONLY=ratio,cache.
 */
import { join } from 'node:path';
import { benchS3, type BenchS3 } from './support/bench-s3';
import { numericCsv } from './support/bench-data';
import { startCountingProxy, type Counts } from './support/counting-proxy';
import { dirBytes } from './support/disk-usage';
import { jobTimeline, runJob, uploadDatasetFile } from './support/job-runs';
import { loadAverage } from './support/machine-load';
import { atInterrupt, runBench } from './support/run-bench';
import { startServiceStack, type ServiceStack } from './support/service-stack';
import { fmt, percentile, report, reportPairedRatio } from './support/stats';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROWS = env('BENCH_STORAGE_ROWS', 200_000);
const REPEATS = env('BENCH_STORAGE_REPEATS', 3);
const ROUNDS = env('BENCH_STORAGE_ROUNDS', 100);
const mb = (bytes: number) => fmt(bytes / 2 ** 20, 1);

const job = (datasetId: string, pipeline: 'staged' | 'auto') => ({
  datasetId,
  target: 'label',
  model: { type: 'xgboost', params: { numRounds: ROUNDS, maxDepth: 6 } },
  execution: { device: 'cpu', requireGpu: false, pipeline },
});

interface Side {
  upload: number;
  staged: number;
  auto: number;
  stagedTimeline: string[];
}

async function oneSide(stack: ServiceStack, name: string, path: string): Promise<Side> {
  const upload = await uploadDatasetFile(stack.client, name, path);
  const staged = await runJob(stack.client, job(upload.id, 'staged'));
  const auto = await runJob(stack.client, job(upload.id, 'auto'));
  return { upload: upload.seconds, staged: staged.seconds, auto: auto.seconds, stagedTimeline: await jobTimeline(stack.client, staged.job) };
}

async function ratio(s3: BenchS3, path: string, bytes: number): Promise<void> {
  const slots = { TRAINYARD_CPU_SLOTS: '1' };
  const local = await startServiceStack({ env: slots });
  const remote = await startServiceStack({ env: { ...slots, ...s3.env, TRAINYARD_STORAGE_URL: s3.url }, separateDataDirs: true }).catch(async (err: unknown) => {
    await local.stop();
    throw err;
  });
  try {
    const warm = await numericCsv(2000, 29);
    for (const stack of [local, remote]) await oneSide(stack, 'storage-warm', warm.path);
    const pairs: { local: Side; s3: Side }[] = [];
    for (let i = 0; i < REPEATS; i++) {
      // Alternating which side goes first cancels a drift in the neighbours' load.
      if (i % 2 === 0) {
        const l = await oneSide(local, `storage-${i}`, path);
        pairs.push({ local: l, s3: await oneSide(remote, `storage-${i}`, path) });
      } else {
        const r = await oneSide(remote, `storage-${i}`, path);
        pairs.push({ local: await oneSide(local, `storage-${i}`, path), s3: r });
      }
    }
    const med = (f: (p: { local: Side; s3: Side }) => number) => percentile(pairs.map(f), 50);
    const endToEnd = (s: Side) => s.upload + s.staged;
    console.log(`\n(a) ${ROWS} rows × 28 features (${mb(bytes)} MB CSV), XGBoost ${ROUNDS} rounds, worker with 1 slot, ${REPEATS} paired repeats`);
    report('local: upload / staged job / default job (s)', `${fmt(med((p) => p.local.upload))} / ${fmt(med((p) => p.local.staged))} / ${fmt(med((p) => p.local.auto))}`);
    report('S3: upload / staged job / default job (s)', `${fmt(med((p) => p.s3.upload))} / ${fmt(med((p) => p.s3.staged))} / ${fmt(med((p) => p.s3.auto))}`);
    reportPairedRatio('S3 / local, upload + staged job', med((p) => endToEnd(p.s3)) / med((p) => endToEnd(p.local)), pairs.map((p) => endToEnd(p.s3) / endToEnd(p.local)), '≤ 1.10', 3);
    reportPairedRatio('S3 / local, upload + default job', med((p) => p.s3.upload + p.s3.auto) / med((p) => p.local.upload + p.local.auto), pairs.map((p) => (p.s3.upload + p.s3.auto) / (p.local.upload + p.local.auto)), '', 3);
    reportPairedRatio('S3 / local, staged job alone', med((p) => p.s3.staged) / med((p) => p.local.staged), pairs.map((p) => p.s3.staged / p.local.staged), '', 3);
    const rate = (seconds: number) => fmt(bytes / 2 ** 20 / seconds, 0);
    report('upload into the store, local / S3 (MB/s)', `${rate(med((p) => p.local.upload))} / ${rate(med((p) => p.s3.upload))}`, '≥ 100 each');
    const objects = await s3.usage();
    report(`S3: kept after ${REPEATS + 1} datasets and their jobs (MB, objects)`, `${mb(objects.bytes)}  ${objects.objects}`);
    report('local store after the same (MB)', mb(await dirBytes(join(local.apiDataDir, 'store'))));
    for (const side of ['local', 's3'] as const) {
      console.log(`the last repeat's staged job on ${side}, from its log:`);
      for (const line of pairs.at(-1)![side].stagedTimeline) console.log(`  ${line}`);
    }
  } finally {
    await Promise.all([local.stop(), remote.stop()]);
  }
}

async function cacheHit(s3: BenchS3, path: string): Promise<void> {
  const proxy = await startCountingProxy(s3.endpoint, s3.keyPrefix);
  const stack = await startServiceStack({ env: { TRAINYARD_CPU_SLOTS: '1', ...s3.env, AWS_ENDPOINT_URL_S3: proxy.endpoint, TRAINYARD_STORAGE_URL: s3.url }, separateDataDirs: true }).catch(async (err: unknown) => {
    await proxy.close();
    throw err;
  });
  try {
    const upload = await uploadDatasetFile(stack.client, 'storage-cache', path);
    const uploaded = proxy.counts();
    const runs: { counts: Counts; load: string }[] = [];
    for (let i = 0; i < 2; i++) {
      proxy.reset();
      const { job: done } = await runJob(stack.client, job(upload.id, 'staged'));
      const loaded = (await jobTimeline(stack.client, done)).find((l) => l.includes('load_features')) ?? '?';
      runs.push({ counts: proxy.counts(), load: loaded.trim() });
    }
    const show = (c: Counts, kind: string) => `${c[kind]?.requests ?? 0} (${mb(c[kind]?.bytes ?? 0)} MB)`;
    console.log(`\n(b) cache: two staged jobs on one dataset, the worker's S3 traffic counted by a proxy`);
    report('upload: PUT datasets requests (MB)', show(uploaded, 'PUT datasets'));
    for (const [i, r] of runs.entries()) {
      report(`job ${i + 1}: GET datasets (MB)`, show(r.counts, 'GET datasets'), i === 0 ? 'one download' : '0: read from the cache');
      report(`job ${i + 1}: GET / PUT jobs (step objects)`, `${show(r.counts, 'GET jobs')} / ${show(r.counts, 'PUT jobs')}`);
      console.log(`  job ${i + 1}'s load step: ${r.load}`);
    }
    const all = Object.entries(runs[1]!.counts).map(([k, v]) => `${k} ${v.requests}`).join(', ');
    report('job 2: every request through the proxy', all || 'none');
  } finally {
    await stack.stop();
    await proxy.close();
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',');
  const s3 = benchS3('bench-storage');
  const forget = atInterrupt(() => s3.clean());
  const load = loadAverage();
  try {
    const { path, bytes } = await numericCsv(ROWS, 29);
    if (!only || only.includes('ratio')) await ratio(s3, path, bytes);
    if (!only || only.includes('cache')) await cacheHit(s3, path);
  } finally {
    forget();
    await s3.clean().catch((err: unknown) => console.error(`could not remove ${s3.url}: ${String(err)}`));
    load.report();
  }
}

runBench(main);
