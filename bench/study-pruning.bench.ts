/**
 * Issue #4, study pruning: one study on a 2,000-row task (XGBoost, 300 rounds, learningRate over two orders of
 * magnitude) with pruner none, median and asha — same sampler and seed. Compute = Σ boosting rounds the trial jobs ran
 * (from their metric series) and Σ trial job durations; saved vs none, and the final best value's difference. (A
 * study's wall time against Optuna's is bench/studies-vs-optuna.bench.ts.)
 * Needs DATABASE_URL and TEMPORAL_ADDRESS (scripts/bench.mjs provides them). Sizes: BENCH_PRUNE_TRIALS (20),
 * BENCH_PRUNE_ROWS (2000), BENCH_PRUNE_ROUNDS (300), BENCH_PRUNE_SAMPLER (random: every pruner then sees the same
 * params in the same order; tpe reacts to pruning).
 */
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../test/support/http';
import { startTestStack } from '../test/support/test-stack';
import { runBench } from './support/run-bench';
import { fmt, report } from './support/stats';
import { busySeconds, jobFacts, waitForStudy } from './support/study-runs';
import { writeSyntheticBinaryCsv } from './support/synthetic';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PRUNE_TRIALS = env('BENCH_PRUNE_TRIALS', 20);
const PRUNE_ROWS = env('BENCH_PRUNE_ROWS', 2000);
const PRUNE_ROUNDS = env('BENCH_PRUNE_ROUNDS', 300);
const PRUNE_PARALLELISM = 2;
const PRUNE_SAMPLER = process.env.BENCH_PRUNE_SAMPLER ?? 'random';
const BEST_TOLERANCE = 0.01;

const wallSeconds = (study: { createdAt: string; completedAt: string }) => (Date.parse(study.completedAt) - Date.parse(study.createdAt)) / 1000;

async function pruning(api: ApiClient, databaseUrl: string, dir: string): Promise<void> {
  const csv = join(dir, 'prune.csv');
  await writeSyntheticBinaryCsv(csv, PRUNE_ROWS, 28, 11);
  const datasetId = (await api.uploadFile('bench-study-prune', csv)).body.id;
  const results: { pruner: string; study: any; rounds: number; busy: number; wall: number; params: string }[] = [];
  for (const pruner of ['none', 'median', 'asha']) {
    const created = await api.post('/v1/studies', {
      name: `bench-prune-${pruner}`,
      job: { datasetId, target: 'label', model: { type: 'xgboost', params: { numRounds: PRUNE_ROUNDS, maxDepth: 6 } } },
      // learningRate from 0.003 (nowhere near converged in 300 rounds) to 0.5 (converges, may overfit) makes some trials clearly worse.
      searchSpace: { learningRate: { type: 'float', low: 0.003, high: 0.5, log: true }, maxDepth: { type: 'int', low: 2, high: 8 } },
      objective: { metric: 'rocAuc', direction: 'maximize' },
      trials: PRUNE_TRIALS,
      parallelism: PRUNE_PARALLELISM,
      sampler: PRUNE_SAMPLER,
      pruner,
      seed: 3,
    });
    if (created.status !== 201) throw new Error(`study: ${created.status} ${JSON.stringify(created.body)}`);
    const study = await waitForStudy(api, created.body.id);
    const jobs = await jobFacts(databaseUrl, { studyId: study.id });
    const trials = (await api.get(`/v1/studies/${study.id}/trials?pageSize=100`)).body.items as { params: Record<string, unknown> }[];
    results.push({
      pruner,
      study,
      rounds: jobs.reduce((s, j) => s + j.rounds, 0),
      busy: busySeconds(jobs),
      wall: wallSeconds(study),
      params: JSON.stringify(trials.map((t) => t.params)),
    });
  }

  const none = results[0];
  console.log(`\npruning: ${PRUNE_TRIALS} trials, ${PRUNE_ROWS} rows × 28 features, XGBoost ${PRUNE_ROUNDS} rounds, ${PRUNE_SAMPLER} sampler, seed 3, parallelism ${PRUNE_PARALLELISM}`);
  console.log(`${'pruner'.padEnd(8)} ${'done/pruned/failed'.padStart(18)} ${'rounds'.padStart(7)} ${'job-s'.padStart(7)} ${'wall-s'.padStart(7)} ${'best rocAuc'.padStart(11)} ${'rounds saved'.padStart(12)} ${'job-s saved'.padStart(11)} ${'Δbest'.padStart(8)}`);
  for (const r of results) {
    const best = r.study.bestTrial?.value ?? NaN;
    const delta = best - (none.study.bestTrial?.value ?? NaN);
    console.log(
      `${r.pruner.padEnd(8)} ${`${r.study.trialsCompleted}/${r.study.trialsPruned}/${r.study.trialsFailed}`.padStart(18)} ${String(r.rounds).padStart(7)} ${fmt(r.busy, 1).padStart(7)} ${fmt(r.wall, 1).padStart(7)} ${fmt(best, 4).padStart(11)} ${`${fmt(100 * (1 - r.rounds / none.rounds), 1)}%`.padStart(12)} ${`${fmt(100 * (1 - r.busy / none.busy), 1)}%`.padStart(11)} ${fmt(delta, 4).padStart(8)}`,
    );
  }
  for (const r of results.slice(1)) {
    const saved = 1 - r.rounds / none.rounds;
    const delta = Math.abs((r.study.bestTrial?.value ?? NaN) - (none.study.bestTrial?.value ?? NaN));
    const within = delta <= BEST_TOLERANCE ? 'within' : 'OUTSIDE';
    report(`${r.pruner}: rounds saved (|Δbest| ${fmt(delta, 4)}, ${within} ${BEST_TOLERANCE})`, `${fmt(100 * saved, 1)}%`, '≥ 30% at equal best');
  }
  report('same params in the same order across pruners', results.every((r) => r.params === none.params) ? 'yes' : 'no');
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-study-bench-'));
  const stack = await startTestStack({ config: { cpuSlots: PRUNE_PARALLELISM } });
  try {
    await pruning(new ApiClient(stack.url, stack.adminToken), stack.config.databaseUrl, dir);
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
