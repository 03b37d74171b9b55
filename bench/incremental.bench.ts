/**
 * Issue 20, incremental training: a parent XGBoost model trained on older rows, then on newer rows of the same task
 * an incremental job that adds a few rounds to the parent's trees, against a full retrain on old and new rows
 * together, all through the API. Prints each job's own rounds, each model's AUC on the same held-out rows (scored
 * through the predict API) and each job's duration. Sizes: BENCH_INCREMENTAL_ROWS (older rows, and as many newer
 * ones; 50000), BENCH_INCREMENTAL_HOLDOUT (20000). Needs DATABASE_URL and TEMPORAL_ADDRESS (scripts/bench.mjs).
 */
import 'reflect-metadata';
import { ApiClient } from '../test/support/http';
import { compareIncremental } from '../test/support/incremental';
import { startTestStack } from '../test/support/test-stack';
import { runBench } from './support/run-bench';
import { fmt, report } from './support/stats';

const ROWS = Number(process.env.BENCH_INCREMENTAL_ROWS ?? 50_000);
const HOLDOUT = Number(process.env.BENCH_INCREMENTAL_HOLDOUT ?? 20_000);
const FULL_ROUNDS = 300;
const INCREMENTAL_ROUNDS = 60;
/** The incremental model may trail the full retrain's held-out AUC by at most this. */
const AUC_TOLERANCE = 0.005;

runBench(async () => {
  const stack = await startTestStack();
  try {
    const api = new ApiClient(stack.url, stack.adminToken);
    const figures = await compareIncremental(api, {
      name: 'bench-incremental',
      oldRows: ROWS,
      newRows: ROWS,
      holdoutRows: HOLDOUT,
      params: { maxDepth: 6, learningRate: 0.1 },
      parentRounds: FULL_ROUNDS,
      incrementalRounds: INCREMENTAL_ROUNDS,
      fullRounds: FULL_ROUNDS,
    });
    console.log(`incremental vs full retrain: ${ROWS} older + ${ROWS} newer rows, ${HOLDOUT} held out`);
    report('rounds trained: parent (older rows)', String(figures.rounds.parent));
    report('rounds trained: incremental (newer rows)', String(figures.rounds.incremental), `< ${figures.rounds.fullRetrain}`);
    report('rounds trained: full retrain (all rows)', String(figures.rounds.fullRetrain));
    report('held-out AUC: parent', fmt(figures.holdoutAuc.parent, 4));
    report('held-out AUC: incremental', fmt(figures.holdoutAuc.incremental, 4), `≥ ${fmt(figures.holdoutAuc.fullRetrain - AUC_TOLERANCE, 4)}`);
    report('held-out AUC: full retrain', fmt(figures.holdoutAuc.fullRetrain, 4));
    report('job seconds: incremental', fmt(figures.seconds.incremental, 1));
    report('job seconds: full retrain', fmt(figures.seconds.fullRetrain, 1));
    report('incremental / full retrain job time', fmt(figures.seconds.incremental / figures.seconds.fullRetrain, 2));
  } finally {
    await stack.stop();
  }
});
