/**
 * Issue #16, small jobs: one XGBoost job of 20 rounds on breast_cancer, submitted while the worker is idle, from the
 * POST to the client seeing it `completed` (polled every BENCH_LATENCY_POLL_MS); then a burst of small jobs
 * submitted at once to a worker with 2 slots, in jobs per minute. The API and the worker run as `npm start` runs
 * them, each in its own process. Sizes: BENCH_LATENCY_JOBS (30), BENCH_LATENCY_WARMUP (3), BENCH_LATENCY_POLL_MS
 * (10), BENCH_BURST_JOBS (100); BENCH_ONLY=latency,burst picks parts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { jobTimeline, medianStages, runJob, serverSeconds, stageSeconds, uploadDatasetFile } from './support/job-runs';
import { loadAverage } from './support/machine-load';
import { runPeer } from './support/python-peer';
import { runBench } from './support/run-bench';
import { startServiceStack, type ServiceStack } from './support/service-stack';
import { fmt, percentile, report } from './support/stats';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const JOBS = env('BENCH_LATENCY_JOBS', 30);
const WARMUP = env('BENCH_LATENCY_WARMUP', 3);
const POLL_MS = env('BENCH_LATENCY_POLL_MS', 10);
const BURST = env('BENCH_BURST_JOBS', 100);
const SLOTS = 2;

const smallJob = (datasetId: string, extra: Record<string, unknown> = {}) => ({ datasetId, target: 'label', model: { type: 'xgboost', params: { numRounds: 20 } }, ...extra });

async function latency(stack: ServiceStack, datasetId: string): Promise<void> {
  for (let i = 0; i < WARMUP; i++) await runJob(stack.client, smallJob(datasetId), POLL_MS);
  const runs: { seconds: number; server: number; queued: number; job: any; stages: Record<string, number> }[] = [];
  for (let i = 0; i < JOBS; i++) {
    const { job, seconds } = await runJob(stack.client, smallJob(datasetId), POLL_MS);
    const server = serverSeconds(job);
    runs.push({ seconds, server: server.total, queued: server.queued, job, stages: await stageSeconds(stack.client, job) });
  }
  const ms = (values: number[], p: number) => fmt(percentile(values, p) * 1000, 0);
  const client = runs.map((r) => r.seconds);
  console.log(`\n(a) one small job at a time (breast_cancer, XGBoost 20 rounds), ${JOBS} jobs after ${WARMUP} to warm up, polled every ${POLL_MS} ms`);
  report('submit → seen completed p50 / p95 (ms)', `${ms(client, 50)} / ${ms(client, 95)}`, 'p50 ≤ 300');
  report('server created → completed p50 / p95 (ms)', `${ms(runs.map((r) => r.server), 50)} / ${ms(runs.map((r) => r.server), 95)}`);
  report('server created → first step p50 / p95 (ms)', `${ms(runs.map((r) => r.queued), 50)} / ${ms(runs.map((r) => r.queued), 95)}`);
  console.log(`median per part (ms): ${medianStages(runs.map((r) => r.stages), 0, 'ms')}`);
  const median = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
  console.log('the median job, from its log:');
  for (const line of await jobTimeline(stack.client, median.job)) console.log(`  ${line}`);
}

async function burst(stack: ServiceStack, datasetId: string): Promise<void> {
  const experiment = `burst-${Date.now()}`;
  const t0 = performance.now();
  const created = await Promise.all(Array.from({ length: BURST }, (_, i) => stack.client.post('/v1/training-jobs', smallJob(datasetId, { experiment, tags: { n: String(i) } }))));
  const submitted = (performance.now() - t0) / 1000;
  const rejected = created.filter((c) => c.status !== 201).length;
  // One query for the whole burst: a poller per job would load the API it measures.
  const pg = new Client({ connectionString: stack.databaseUrl });
  await pg.connect();
  try {
    let counts: { status: string; n: number }[] = [];
    for (;;) {
      counts = (await pg.query(`select status, count(*)::int as n from training_jobs where experiment = $1 group by status`, [experiment])).rows;
      const done = counts.filter((c) => ['completed', 'failed', 'cancelled'].includes(c.status)).reduce((s, c) => s + c.n, 0);
      if (done >= BURST - rejected) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const wall = (performance.now() - t0) / 1000;
    const span = (
      await pg.query(
        `select extract(epoch from max(completed_at) - min(created_at))::float8 as span, count(distinct tags->>'n')::int as distinct_n,
                (select count(*)::int from model_versions v where v.job_id = any(array_agg(j.id))) as versions
           from training_jobs j where experiment = $1`,
        [experiment],
      )
    ).rows[0];
    const count = (s: string) => counts.find((c) => c.status === s)?.n ?? 0;
    console.log(`\n(b) ${BURST} small jobs submitted at once, worker with ${SLOTS} slots`);
    report('accepted / rejected; all POSTs answered in (s)', `${BURST - rejected} / ${rejected}; ${fmt(submitted)}`);
    report('completed / failed / cancelled', `${count('completed')} / ${count('failed')} / ${count('cancelled')}`);
    report('job rows with distinct submissions / model versions', `${span.distinct_n} / ${span.versions}`, `${BURST} / ${BURST}`);
    report('throughput, first created → last completed (jobs/min)', fmt(((BURST - rejected) / span.span) * 60, 1), '≥ 300');
    report('throughput, client wall (jobs/min)', fmt(((BURST - rejected) / wall) * 60, 1));
  } finally {
    await pg.end();
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',');
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-latency-'));
  const stack = await startServiceStack({ env: { TRAINYARD_CPU_SLOTS: String(SLOTS) } });
  const load = loadAverage();
  try {
    const csv = join(dir, 'breast_cancer.csv');
    await runPeer('xgboost_study.py', ['csv', csv]);
    const { id } = await uploadDatasetFile(stack.client, 'bench-breast-cancer', csv);
    if (!only || only.includes('latency')) await latency(stack, id);
    if (!only || only.includes('burst')) await burst(stack, id);
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
    load.report();
  }
}

runBench(main);
