/**
 * Issue #5 serving benchmarks, in one run, on an XGBoost model trained through the service:
 *  (a) one-record latency: HTTP round trips over a kept-alive connection, and PredictService.predict called in
 *      the same process (the server's share: no HTTP, no JSON, no auth guard), with its stages timed apart;
 *  (b) 10k-record batch throughput: POST /predict and in-process predict vs the native engine on the same rows
 *      (applyPlanToRecords + predictXGBoost) and Python xgboost's Booster.predict on the same float32 matrix.
 * Needs DATABASE_URL and TEMPORAL_ADDRESS (scripts/bench.mjs provides them).
 */
import 'reflect-metadata';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { fileURLToPath } from 'node:url';
import { scopeToTenant } from '@trainyard/db';
import { FileObjectStore, objectKeys } from '@trainyard/storage';
import { applyPlanToRecords, predictXGBoost, rawInputFeeds, type Matrix, type PreprocessPlan } from '@trainyard/ml';
import type { Principal } from '../apps/api/src/auth/principal';
import { PredictService } from '../apps/api/src/serving/predict.service';
import type { PredictRequest } from '../apps/api/src/models/models.dto';
import { validateRecords } from '../apps/api/src/serving/record-validation';
import { ApiClient } from '../test/support/http';
import { startTestStack, type TestStack } from '../test/support/test-stack';
import { withContention } from './support/cpu-contention';
import { keepAlivePoster } from './support/keep-alive-post';
import { writeMatrixFile } from './support/matrix-file';
import { peersInstalled, runPeer } from './support/python-peer';
import { runBench } from './support/run-bench';
import { servingDataset, type RawRecord } from './support/serving-dataset';
import { fmt, percentile, report } from './support/stats';

const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const SINGLE_CALLS = Number(process.env.BENCH_SINGLE_CALLS ?? 1000);
const BATCH_ROWS = 10_000;
const BATCH_REPEATS = Number(process.env.BENCH_BATCH_REPEATS ?? 10);
const WARMUP = 200;
const MODEL = 'bench-serving';

interface Served {
  version: number;
  jobId: string;
  principal: Principal;
  /** PredictService.predict as a request would call it: in a fresh MikroORM request context. */
  predict(body: PredictRequest): Promise<Awaited<ReturnType<PredictService['predict']>>>;
  predictor: PredictService;
  inContext<T>(fn: () => Promise<T>): Promise<T>;
}

const ms = (values: number[]) => `${fmt(percentile(values, 50), 3)} / ${fmt(percentile(values, 99), 3)}`;
const median = (values: number[]) => percentile(values, 50);

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

async function trainAndDeploy(stack: TestStack, api: ApiClient, csv: string): Promise<Served> {
  const upload = await api.uploadDataset('bench-serving-data', csv);
  const t = performance.now();
  // Staged, with the job's objects kept, so the bench can read the engine's own model file.
  const created = await api.post('/v1/training-jobs', {
    datasetId: upload.body.id,
    target: 'label',
    name: MODEL,
    model: { type: 'xgboost', params: { numRounds: ROUNDS, maxDepth: 6, learningRate: 0.1 } },
    execution: { pipeline: 'staged' },
  });
  const job = await api.waitForJob(created.body.id, undefined, 10 * 60_000);
  if (job.status !== 'completed') throw new Error(`bench job ${job.status}: ${JSON.stringify(job.error)}`);
  const version = job.modelVersion.version as number;
  // Deployed as API.md describes, so predict calls take the default path: alias `production`.
  const alias = await api.request('PUT', `/v1/models/${MODEL}/aliases/production`, { version });
  if (alias.status !== 200) throw new Error(`PUT alias: ${alias.status} ${JSON.stringify(alias.body)}`);
  console.log(`model ${MODEL} v${version}: ${ROWS} rows × 22 columns, ${ROUNDS} rounds, submit → completed ${fmt((performance.now() - t) / 1000, 1)} s`);
  // The worker only adds noise to the figures from here on.
  await Promise.all(stack.workers.map((w) => w.stop()));

  const pg = new Client({ connectionString: stack.config.databaseUrl });
  await pg.connect();
  const tenantId = (await pg.query('select tenant_id from model_versions where name = $1 and version = $2', [MODEL, version])).rows[0].tenant_id as string;
  await pg.end();
  const principal: Principal = { tokenId: 'bench', tenantId, tenantName: 'default', role: 'admin', name: 'bench', expiresAt: null };
  const orm = stack.api.app.get(MikroORM);
  const predictor = stack.api.app.get(PredictService);
  // As a request would run: its own context, scoped to the caller's tenant.
  const inContext = <T>(fn: () => Promise<T>) =>
    RequestContext.create(orm.em, () => {
      scopeToTenant(orm.em, tenantId);
      return fn();
    });
  return { version, jobId: job.id, principal, predictor, inContext, predict: (body) => inContext(() => predictor.predict(MODEL, body)) };
}

async function singleRecord(stack: TestStack, served: Served, records: RawRecord[]): Promise<void> {
  const bodies = records.slice(0, SINGLE_CALLS).map((r) => JSON.stringify({ records: [r] }));
  const http = keepAlivePoster(stack.url, stack.adminToken);
  const path = `/v1/models/${MODEL}/predict`;
  const first = await http.post(path, bodies[0]!);
  if (first.status !== 200) throw new Error(`predict: ${first.status} ${first.text}`);
  await timed(WARMUP, (i) => http.post(path, bodies[i % bodies.length]!));
  const client = await timed(bodies.length, (i) => http.post(path, bodies[i]!));
  http.close();

  await timed(WARMUP, (i) => served.predict({ records: [records[i % records.length]] }));
  const server = await timed(SINGLE_CALLS, (i) => served.predict({ records: [records[i]] }));

  // The same request taken apart, stage by stage, to show where the server's time goes.
  const stages = { resolve: [] as number[], validate: [] as number[], loaded: [] as number[], feeds: [] as number[], run: [] as number[] };
  for (let i = 0; i < SINGLE_CALLS; i++) {
    const body: PredictRequest = { records: [records[i]] };
    let t = performance.now();
    const version = await served.inContext(() => served.predictor.resolve(MODEL, body));
    stages.resolve.push(performance.now() - t);
    t = performance.now();
    const valid = validateRecords(body.records, version.signature);
    stages.validate.push(performance.now() - t);
    t = performance.now();
    const { plan, session } = await served.predictor.loaded(version);
    stages.loaded.push(performance.now() - t);
    t = performance.now();
    const feeds = rawInputFeeds(plan, valid);
    stages.feeds.push(performance.now() - t);
    t = performance.now();
    await session.run(feeds);
    stages.run.push(performance.now() - t);
  }

  console.log(`\n(a) one record, ${SINGLE_CALLS} sequential calls after ${WARMUP} warm-up, alias production`);
  report('HTTP keep-alive, client side p50 / p99 (ms)', ms(client));
  report('server: PredictService.predict p50 / p99 (ms)', ms(server), 'p99 ≤ 5');
  report('  resolve: alias + version queries (ms)', ms(stages.resolve));
  report('  validateRecords (ms)', ms(stages.validate));
  report('  loaded: cached plan + session (ms)', ms(stages.loaded));
  report('  rawInputFeeds (ms)', ms(stages.feeds));
  report('  session.run (ms)', ms(stages.run));
  report('HTTP − server p50: auth, express, JSON (ms)', fmt(median(client) - median(server), 3));
}

async function batchThroughput(stack: TestStack, served: Served, records: RawRecord[], dir: string): Promise<void> {
  const batches = [records.slice(0, BATCH_ROWS), records.slice(BATCH_ROWS, 2 * BATCH_ROWS)].filter((b) => b.length === BATCH_ROWS);
  const bodies = batches.map((b) => JSON.stringify({ records: b }));
  const http = keepAlivePoster(stack.url, stack.adminToken);
  const path = `/v1/models/${MODEL}/predict`;
  const check = await http.post(path, bodies[0]!);
  if (check.status !== 200) throw new Error(`batch predict: ${check.status} ${check.text.slice(0, 300)}`);
  await http.post(path, bodies[1 % bodies.length]!);
  const viaHttp = await timed(BATCH_REPEATS, (i) => http.post(path, bodies[i % bodies.length]!));
  http.close();

  await served.predict({ records: batches[0] });
  const inProcess = await timed(BATCH_REPEATS, (i) => served.predict({ records: batches[i % batches.length] }));
  const current = await served.inContext(() => served.predictor.resolve(MODEL, {}));
  const { plan: servedPlan, session } = await served.predictor.loaded(current);
  const feedStage: number[] = [];
  const runStage = await timed(BATCH_REPEATS, async (i) => {
    const t = performance.now();
    const feeds = rawInputFeeds(servedPlan, batches[i % batches.length]!);
    feedStage.push(performance.now() - t);
    return session.run(feeds);
  }).then((all) => all.map((total, i) => total - feedStage[i]!));

  // The native engine on the model file the train step wrote, with the plan the registry serves.
  const version = await served.inContext(() => served.predictor.resolve(MODEL, {}));
  const store = new FileObjectStore(fileURLToPath(stack.config.storageUrl));
  const plan = JSON.parse(await readFile(store.localPath(version.plan!.key), 'utf8')) as PreprocessPlan;
  const model = new Uint8Array(await readFile(store.localPath(objectKeys.job(served.jobId, 'model'))));
  const encode = (rows: RawRecord[]): Matrix => ({ rows: rows.length, cols: plan.featureNames.length, data: applyPlanToRecords(plan, rows), labels: new Float32Array(rows.length) });
  await predictXGBoost(model, encode(batches[0]!));
  const nativeAll = await timed(BATCH_REPEATS, (i) => predictXGBoost(model, encode(batches[i % batches.length]!)));
  const matrices = batches.map(encode);
  const nativePredict = await timed(BATCH_REPEATS, (i) => predictXGBoost(model, matrices[i % matrices.length]!));
  const encodeOnly = await timed(BATCH_REPEATS, async (i) => encode(batches[i % batches.length]!));

  // Same rows, same model: the served probabilities should be the engine's.
  const served0 = (await served.predict({ records: batches[0] })).predictions as { probabilities: Record<string, number> }[];
  const labels = version.signature.classLabels ?? ['0', '1'];
  const native0 = await predictXGBoost(model, matrices[0]!);
  let maxDiff = 0;
  served0.forEach((p, i) => (maxDiff = Math.max(maxDiff, Math.abs(p.probabilities[labels[1]!]! - native0[i]!))));

  let python = { dmatrix: [NaN], inplace: [NaN] };
  if (peersInstalled()) {
    const modelPath = join(dir, 'model.json');
    await writeFile(modelPath, model);
    const matrixPath = await writeMatrixFile(join(dir, 'batch.bin'), matrices[0]!);
    python = await runPeer<typeof python>('gbdt_predict.py', ['xgboost', modelPath, matrixPath, String(BATCH_REPEATS), String(availableParallelism())]);
  }

  const rps = (msPerBatch: number) => (BATCH_ROWS * 1000) / msPerBatch;
  const http50 = median(viaHttp);
  const in50 = median(inProcess);
  const native50 = median(nativeAll);
  const pyDmatrix = median(python.dmatrix) * 1000;
  const pyInplace = median(python.inplace) * 1000;
  console.log(`\n(b) ${BATCH_ROWS}-record batches, median of ${BATCH_REPEATS}, ${plan.featureNames.length} encoded features, ${availableParallelism()} cores`);
  report('service HTTP: JSON in/out + auth (records/s)', fmt(rps(http50), 0));
  report('service in-process predict, no HTTP (records/s)', fmt(rps(in50), 0));
  report('  rawInputFeeds / session.run / rest (ms)', `${fmt(median(feedStage), 1)} / ${fmt(median(runStage), 1)} / ${fmt(in50 - median(feedStage) - median(runStage), 1)}`);
  report('native: applyPlanToRecords + predictXGBoost', fmt(rps(native50), 0));
  report('native: predictXGBoost on encoded matrix', fmt(rps(median(nativePredict)), 0));
  report('native: applyPlanToRecords alone', fmt(rps(median(encodeOnly)), 0));
  report('python Booster.predict(DMatrix) / inplace', `${fmt(rps(pyDmatrix), 0)} / ${fmt(rps(pyInplace), 0)}`);
  report('service HTTP / native (throughput)', fmt(native50 / http50, 2), '≥ 1');
  report('service in-process / native (throughput)', fmt(native50 / in50, 2), '≥ 1');
  report('service HTTP / python DMatrix (throughput)', fmt(pyDmatrix / http50, 2));
  report('service in-process / python DMatrix', fmt(pyDmatrix / in50, 2));
  report('max |served − native| P(class 1)', maxDiff.toExponential(1));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-bench-serving-'));
  const stack = await startTestStack({ config: { cpuSlots: 1, keepJobObjects: true } });
  try {
    const { csv, records } = servingDataset(ROWS);
    const served = await trainAndDeploy(stack, new ApiClient(stack.url, stack.adminToken), csv);
    const single = await withContention(() => singleRecord(stack, served, records));
    const batch = await withContention(() => batchThroughput(stack, served, records, dir));
    // On a shared machine the absolute figures move with the neighbours; this says how much they took.
    console.log('');
    report('others\' CPU share (a) / (b), incl. our Postgres', `${fmt(single.othersShare * 100, 0)}% / ${fmt(batch.othersShare * 100, 0)}%`, '≤ 10%');
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
