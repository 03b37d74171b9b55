/**
 * Issue #2 benchmarks, in one run:
 *  (a) a ~30 s XGBoost training through the service vs the same training called directly (and by Python's xgboost),
 *  (b) submit latency and queued→running latency with a free worker,
 *  (c) 200 small jobs submitted at once: all terminal, none lost or duplicated, jobs per minute.
 * Needs DATABASE_URL and TEMPORAL_ADDRESS (scripts/bench.mjs provides them).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { defaultValidation } from '@trainyard/contracts';
import { prepareData, readDataset, trainXGBoost, type Matrix } from '@trainyard/ml';
import { ApiClient } from '../test/support/http';
import { binaryCsv } from '../test/support/datasets';
import { startTestStack } from '../test/support/test-stack';
import { runBench } from './support/run-bench';
import { fmt, percentile, report } from './support/stats';
import { writeSyntheticBinaryCsv } from './support/synthetic';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const LATENCY_JOBS = Number(process.env.BENCH_LATENCY_JOBS ?? 20);
const BURST_JOBS = Number(process.env.BENCH_BURST_JOBS ?? 200);
const PARAMS = { numRounds: ROUNDS, maxDepth: 6, learningRate: 0.1 };
const PYTHON = join(__dirname, '..', '..', 'bench', '.venv', 'bin', 'python');

async function overhead(api: ApiClient, dir: string): Promise<void> {
  const csv = join(dir, 'synthetic.csv');
  await writeSyntheticBinaryCsv(csv, ROWS);

  // Direct: the library calls a script would make, on the same file, split and params.
  const t0 = performance.now();
  const frame = await readDataset(csv, 'csv');
  const prepared = prepareData(frame, { target: 'label', features: null, exclude: [], task: null, validation: defaultValidation });
  const t1 = performance.now();
  const trained = await trainXGBoost({ task: 'classification', numClasses: 2, train: prepared.train, validation: prepared.validation, params: PARAMS });
  const t2 = performance.now();
  const directTrain = (t2 - t1) / 1000;
  const directAll = (t2 - t0) / 1000;

  let pythonTrain = NaN;
  if (existsSync(PYTHON)) {
    // Raw float32 matrices, so the peer trains on exactly the rows and values the service does.
    const toBin = async (name: string, m: Matrix) => {
      const path = join(dir, name);
      await writeFile(path, Buffer.concat([Buffer.from(new Int32Array([m.rows, m.cols]).buffer), Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength), Buffer.from(m.labels.buffer, m.labels.byteOffset, m.labels.byteLength)]));
      return path;
    };
    const trainBin = await toBin('train.bin', prepared.train);
    const validationBin = prepared.validation ? await toBin('validation.bin', prepared.validation) : '';
    const out = execFileSync(PYTHON, [join(__dirname, '..', '..', 'bench', 'peers', 'xgboost_train.py'), trainBin, validationBin, JSON.stringify({ rounds: ROUNDS, params: { objective: 'binary:logistic', max_depth: 6, eta: 0.1, tree_method: 'hist', eval_metric: 'logloss' } })]);
    pythonTrain = (JSON.parse(out.toString()) as { trainSeconds: number }).trainSeconds;
  }

  const upload = await api.uploadFile('bench-synthetic', csv);
  const submitted = performance.now();
  const created = await api.post('/v1/training-jobs', { datasetId: upload.body.id, target: 'label', model: { type: 'xgboost', params: PARAMS } });
  const job = await api.waitForJob(created.body.id, undefined, 30 * 60_000);
  const serviceWall = (performance.now() - submitted) / 1000;
  if (job.status !== 'completed') throw new Error(`bench job ${job.status}: ${JSON.stringify(job.error)}`);

  console.log(`\n(a) overhead: ${ROWS} rows × 28 features, ${trained.rounds} rounds`);
  report('direct: XGBoost training only (s)', fmt(directTrain));
  report('direct: read CSV + preprocess + train (s)', fmt(directAll));
  report('python xgboost.train on the same matrix (s)', fmt(pythonTrain));
  report('service: submit → completed (s)', fmt(serviceWall));
  report('service / direct pipeline', fmt(serviceWall / directAll, 3), '≤ 1.05');
  report('service / direct training only', fmt(serviceWall / directTrain, 3));
  report('Trainyard training / python training', fmt(directTrain / pythonTrain, 3));
}

async function latency(api: ApiClient): Promise<void> {
  const ds = await api.uploadDataset('bench-small', binaryCsv(200));
  const submit: number[] = [];
  const toRunning: number[] = [];
  for (let i = 0; i < LATENCY_JOBS; i++) {
    const t = performance.now();
    const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 5 } } });
    submit.push(performance.now() - t);
    const job = await api.waitForJob(created.body.id);
    toRunning.push(new Date(job.startedAt).getTime() - new Date(job.createdAt).getTime());
  }
  console.log(`\n(b) latency over ${LATENCY_JOBS} jobs, one at a time, free worker`);
  report('submit p50 / p95 (ms)', `${fmt(percentile(submit, 50), 1)} / ${fmt(percentile(submit, 95), 1)}`);
  report('queued → running p50 / p95 (ms)', `${fmt(percentile(toRunning, 50), 1)} / ${fmt(percentile(toRunning, 95), 1)}`);
}

async function burst(api: ApiClient, databaseUrl: string): Promise<void> {
  const ds = await api.uploadDataset('bench-burst', binaryCsv(200, 11));
  const start = performance.now();
  const created = await Promise.all(
    Array.from({ length: BURST_JOBS }, (_, i) =>
      api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', experiment: 'burst', tags: { n: String(i) }, model: { type: 'xgboost', params: { numRounds: 5 } } }),
    ),
  );
  const rejected = created.filter((c) => c.status !== 201).length;
  const ids = created.filter((c) => c.status === 201).map((c) => c.body.id as string);
  const jobs = await Promise.all(ids.map((id) => api.waitForJob(id, undefined, 30 * 60_000)));
  const minutes = (performance.now() - start) / 60_000;
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const rows = (await pg.query(`select count(*)::int as n, count(distinct tags->>'n')::int as distinct_n from training_jobs where experiment = 'burst'`)).rows[0];
  const versions = (await pg.query(`select count(*)::int as n, count(distinct job_id)::int as jobs from model_versions where name = 'bench-burst-xgboost'`)).rows[0];
  await pg.end();
  console.log(`\n(c) ${BURST_JOBS} small jobs submitted at once`);
  report('accepted / rejected', `${ids.length} / ${rejected}`);
  report('terminal (completed / failed / cancelled)', `${jobs.filter((j) => j.status === 'completed').length} / ${jobs.filter((j) => j.status === 'failed').length} / ${jobs.filter((j) => j.status === 'cancelled').length}`);
  report('job rows / distinct submissions', `${rows.n} / ${rows.distinct_n}`, `${BURST_JOBS} / ${BURST_JOBS}`);
  report('model versions / distinct jobs', `${versions.n} / ${versions.jobs}`);
  report('throughput (jobs/min)', fmt(ids.length / minutes, 1));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-bench-'));
  const only = process.env.BENCH_ONLY?.split(',');
  const withStack = async (cpuSlots: number, run: (api: ApiClient, databaseUrl: string) => Promise<void>) => {
    const stack = await startTestStack({ config: { maxUploadBytes: 4 * 1024 ** 3, cpuSlots } });
    try {
      await run(new ApiClient(stack.url, stack.adminToken), stack.config.databaseUrl);
    } finally {
      await stack.stop();
    }
  };
  try {
    // One slot gets every core, as the direct call does; the default two slots split them.
    if (!only || only.includes('overhead')) await withStack(1, (api) => overhead(api, dir));
    if (!only || only.includes('latency')) await withStack(2, (api) => latency(api));
    if (!only || only.includes('burst')) await withStack(2, (api, url) => burst(api, url));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
