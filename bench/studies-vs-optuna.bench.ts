/**
 * Issue #16, studies: a TPE study of XGBoost on breast_cancer (100 rounds, one thread per trial, validation log loss
 * on a stratified 30% split) through the API, from the POST to the client seeing it `completed` on its event stream, as the CLI follows a study (its best trial
 * exported, checked and registered), against Optuna's TPESampler running the same search space and objective with
 * `n_jobs` = the study's parallelism (bench/peers/xgboost_study.py), at 30 trials × parallelism 2 and 100 × 4.
 * Target: the median of paired ratios ≤ 1.5× Optuna's script after its imports (data, split, optimize(): a service
 * is started once, a notebook imports once); the ratios to its whole process and to optimize() alone are beside it. Each side's best params are then re-scored on the same repeated 5-fold cross-validation, so
 * "equal best value" is judged on the same rows. Sizes: BENCH_STUDY_CONFIGS (30x2,100x4: trials x parallelism),
 * BENCH_STUDY_REPEATS (3).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { uploadDatasetFile } from './support/job-runs';
import { loadAverage } from './support/machine-load';
import { cpuSeconds, listProcesses, threadCpuSeconds } from './support/proc-status';
import { runPeer, runPeerTimed } from './support/python-peer';
import { runBench } from './support/run-bench';
import { startServiceStack, type ServiceStack } from './support/service-stack';
import { fmt, percentile, report, reportPairedRatio } from './support/stats';
import { followStudy, waitForStudy } from './support/study-runs';

const CONFIGS = (process.env.BENCH_STUDY_CONFIGS ?? '30x2,100x4').split(',').map((c) => c.split('x').map(Number) as [number, number]);
const REPEATS = Number(process.env.BENCH_STUDY_REPEATS ?? 3);
const ROUNDS = 100;

/** The search space of bench/peers/xgboost_study.py, in Trainyard's parameter names, and the way back. */
const SPACE = {
  maxDepth: { type: 'int', low: 2, high: 10 },
  learningRate: { type: 'float', low: 1e-3, high: 0.5, log: true },
  subsample: { type: 'float', low: 0.5, high: 1.0 },
  colsampleBytree: { type: 'float', low: 0.5, high: 1.0 },
  minChildWeight: { type: 'float', low: 1e-2, high: 10, log: true },
  regLambda: { type: 'float', low: 1e-3, high: 10, log: true },
};
const XGBOOST_NAMES: Record<string, string> = {
  maxDepth: 'max_depth',
  learningRate: 'learning_rate',
  subsample: 'subsample',
  colsampleBytree: 'colsample_bytree',
  minChildWeight: 'min_child_weight',
  regLambda: 'reg_lambda',
};

interface OptunaRun {
  seconds: number;
  workSeconds: number;
  optimizeSeconds: number;
  bestValue: number;
  bestParams: Record<string, number>;
  trials: number;
}

/** CPU seconds each part of the stack used during one study. */
interface StudyCpu {
  workerMain: number;
  /** The worker's other threads: the engine threads training, the workflow thread, V8's helpers. */
  workerOthers: number;
  api: number;
  temporal: number;
  database: number;
}

interface Pair {
  trainyard: number;
  cpu: StudyCpu;
  serverSeconds: number;
  phases: { prepare: number; trials: number; finish: number; trialQueued: number; trialRunning: number };
  trainyardBest: number;
  trainyardParams: Record<string, number>;
  registered: string;
  completed: number;
  optuna: OptunaRun;
  optunaWall: number;
}

const study = (datasetId: string, trials: number, parallelism: number, seed: number) => ({
  name: `bench-tpe-${trials}x${parallelism}-${seed}`,
  job: {
    datasetId,
    target: 'label',
    model: { type: 'xgboost', params: { numRounds: ROUNDS, nthread: 1, seed: 0 } },
    validation: { method: 'holdout', testSize: 0.3, validationSize: 0, stratify: true, seed: 0 },
  },
  searchSpace: SPACE,
  objective: { metric: 'logLoss', direction: 'minimize' },
  trials,
  parallelism,
  sampler: 'tpe',
  pruner: 'none',
  seed,
  register: { topK: 1, alias: null },
});

/** Where a study's time went, from the server's timestamps: preparing its data, its trials, registering the best. */
async function phases(databaseUrl: string, s: { id: string; createdAt: string; completedAt: string }): Promise<Pair['phases']> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const row = (
      await pg.query(
        `select min(created_at) as first, max(completed_at) as last,
                avg(extract(epoch from started_at - created_at))::float8 as queued, avg(extract(epoch from completed_at - started_at))::float8 as running
           from training_jobs where study_id = $1`,
        [s.id],
      )
    ).rows[0];
    const created = Date.parse(s.createdAt);
    const first = row.first.getTime() as number;
    const last = row.last.getTime() as number;
    return { prepare: (first - created) / 1000, trials: (last - first) / 1000, finish: (Date.parse(s.completedAt) - last) / 1000, trialQueued: row.queued, trialRunning: row.running };
  } finally {
    await pg.end();
  }
}

/**
 * Reads the CPU the stack has used so far: the worker by thread, the API, the bench's Temporal dev server (by its
 * port) and every PostgreSQL process (the bench's cluster).
 */
function stackCpu(stack: ServiceStack): StudyCpu {
  const port = (process.env.TEMPORAL_ADDRESS ?? '').split(':').pop() ?? '';
  const all = listProcesses();
  const sum = (pids: number[]) => pids.reduce((s, pid) => s + (cpuSeconds(pid) || 0), 0);
  const worker = threadCpuSeconds(stack.worker.pid);
  return {
    workerMain: worker.main,
    workerOthers: worker.others,
    api: cpuSeconds(stack.api.pid),
    temporal: sum(all.filter((p) => p.cmdline.includes('server start-dev') && p.cmdline.includes(`--port ${port}`)).map((p) => p.pid)),
    database: sum(all.filter((p) => /^postgres(:| )/.test(p.cmdline)).map((p) => p.pid)),
  };
}

async function onePair(stack: ServiceStack, datasetId: string, trials: number, parallelism: number, seed: number): Promise<Pair> {
  const cpu0 = stackCpu(stack);
  const t0 = performance.now();
  const created = await stack.client.post('/v1/studies', study(datasetId, trials, parallelism, seed));
  if (created.status !== 201) throw new Error(`study: ${created.status} ${JSON.stringify(created.body)}`);
  const done = await followStudy(stack.client, created.body.id);
  const trainyard = (performance.now() - t0) / 1000;
  const cpu1 = stackCpu(stack);
  const cpu = Object.fromEntries(Object.entries(cpu1).map(([k, v]) => [k, v - cpu0[k as keyof StudyCpu]])) as unknown as StudyCpu;
  if (done.status !== 'completed') throw new Error(`study ${done.id} ${done.status}: ${JSON.stringify(done.error)}`);
  const best = done.bestTrial as { params: Record<string, number>; value: number; jobId: string };
  const bestJob = (await stack.client.get(`/v1/training-jobs/${best.jobId}`)).body;
  const optuna = await runPeerTimed<OptunaRun>('xgboost_study.py', ['optuna', String(trials), String(parallelism), String(seed)]);
  return {
    trainyard,
    cpu,
    serverSeconds: (Date.parse(done.completedAt) - Date.parse(done.createdAt)) / 1000,
    phases: await phases(stack.databaseUrl, done),
    trainyardBest: best.value,
    trainyardParams: best.params,
    registered: bestJob.modelVersion ? `${bestJob.modelVersion.name} v${bestJob.modelVersion.version}` : 'none',
    completed: done.trialsCompleted,
    optuna: optuna.result,
    optunaWall: optuna.wallSeconds,
  };
}

async function measure(stack: ServiceStack, datasetId: string, trials: number, parallelism: number): Promise<void> {
  const pairs: Pair[] = [];
  for (let i = 0; i < REPEATS; i++) pairs.push(await onePair(stack, datasetId, trials, parallelism, i + 1));
  const med = (f: (p: Pair) => number) => percentile(pairs.map(f), 50);
  const toXgboost = (p: Record<string, number>) => Object.fromEntries(Object.entries(p).map(([k, v]) => [XGBOOST_NAMES[k] ?? k, v]));
  const sets = pairs.flatMap((p) => [toXgboost(p.trainyardParams), p.optuna.bestParams]);
  const { values } = await runPeer<{ values: number[] }>('xgboost_study.py', ['rescore', JSON.stringify(sets)]);
  const cv = (side: 0 | 1) => values.filter((_, i) => i % 2 === side);

  console.log(`\n${trials} trials, parallelism ${parallelism} (Optuna n_jobs ${parallelism}), TPE, XGBoost ${ROUNDS} rounds × 1 thread, seeds 1..${REPEATS}`);
  report('Trainyard: POST → completed (s)', fmt(med((p) => p.trainyard)));
  report('  server: prepare / trials / register + close (s)', `${fmt(med((p) => p.phases.prepare))} / ${fmt(med((p) => p.phases.trials))} / ${fmt(med((p) => p.phases.finish))}`);
  report('  a trial job, mean: created → started / → completed (ms)', `${fmt(med((p) => p.phases.trialQueued) * 1000, 0)} / ${fmt(med((p) => p.phases.trialRunning) * 1000, 0)}`);
  report(
    '  CPU during it (s): worker main / other threads, API, Temporal, database',
    `${fmt(med((p) => p.cpu.workerMain))} / ${fmt(med((p) => p.cpu.workerOthers))}, ${fmt(med((p) => p.cpu.api))}, ${fmt(med((p) => p.cpu.temporal))}, ${fmt(med((p) => p.cpu.database))}`,
  );
  report('  trials completed; best registered as', `${pairs.map((p) => p.completed).join(',')}; ${pairs[0]!.registered}`);
  report('Optuna: process / after imports / optimize() (s)', `${fmt(med((p) => p.optunaWall))} / ${fmt(med((p) => p.optuna.workSeconds))} / ${fmt(med((p) => p.optuna.optimizeSeconds))}`);
  reportPairedRatio('Trainyard / Optuna after imports', med((p) => p.trainyard) / med((p) => p.optuna.workSeconds), pairs.map((p) => p.trainyard / p.optuna.workSeconds), '≤ 1.5', 2);
  report('Trainyard / Optuna: process, optimize() (paired medians)', `${fmt(percentile(pairs.map((p) => p.trainyard / p.optunaWall), 50))}  ${fmt(percentile(pairs.map((p) => p.trainyard / p.optuna.optimizeSeconds), 50))}`);
  report('best log loss on its own split: Trainyard / Optuna', `${fmt(med((p) => p.trainyardBest), 4)} / ${fmt(med((p) => p.optuna.bestValue), 4)}`);
  report('bests re-scored, 3×5-fold CV log loss: Trainyard / Optuna', `${fmt(percentile(cv(0), 50), 4)} / ${fmt(percentile(cv(1), 50), 4)}`, 'equal');
  report('  per seed, Trainyard − Optuna', cv(0).map((v, i) => fmt(v - cv(1)[i]!, 4)).join(' '));
}

async function main(): Promise<void> {
  const load = loadAverage();
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-studies-'));
  const slots = Math.max(...CONFIGS.map(([, p]) => p));
  const stack = await startServiceStack({ env: { TRAINYARD_CPU_SLOTS: String(slots) } });
  try {
    const csv = join(dir, 'breast_cancer.csv');
    await runPeer('xgboost_study.py', ['csv', csv]);
    const { id } = await uploadDatasetFile(stack.client, 'bench-breast-cancer', csv);
    // A first study warms the worker (workflow bundle, native library, first ONNX export) as a running service is.
    const warm = await stack.client.post('/v1/studies', { ...study(id, 4, 2, 99), name: 'bench-warm' });
    await waitForStudy(stack.client, warm.body.id);
    console.log(`worker: ${slots} slots; optuna ${(await runPeerTimed<OptunaRun>('xgboost_study.py', ['optuna', '2', '1', '0'])).wallSeconds.toFixed(1)} s for a 2-trial warm-up`);
    for (const [trials, parallelism] of CONFIGS) await measure(stack, id, trials!, parallelism!);
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
    load.report();
  }
}

runBench(main);
