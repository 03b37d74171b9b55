/**
 * Issue #3 benchmarks, in one run, each figure against its target:
 *  (1) XGBoost / LightGBM training time and test AUC vs their Python packages (synthetic 1M × 28 and a dataset
 *      bundled with scikit-learn), same matrices, params and thread count;
 *  (2) ONNX export scored by onnxruntime-node vs the engines' native predict;
 *  (3) CSV ingest vs polars and pandas, wall time and peak RSS;
 *  (4) the MLP family vs scikit-learn's MLPClassifier.
 * Needs no database or Temporal; needs the Python peers in bench/.venv (scripts/bench.mjs installs them).
 * Sizes: BENCH_ENGINE_ROWS, BENCH_ENGINE_ROUNDS, BENCH_ONNX_ROWS, BENCH_CSV_ROWS, BENCH_MLP_ROWS, BENCH_MLP_EPOCHS;
 * repeats: BENCH_LARGE_REPEATS (5), BENCH_SMALL_REPEATS (5), BENCH_SMALL_TRAININGS (15 trainings per small repeat);
 * BENCH_ONLY=train,onnx,csv,mlp picks parts.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { splitAndSave, type BenchSplit } from './support/bench-split';
import { withContention } from './support/cpu-contention';
import { compareCsvIngest, reportCsvIngest } from './support/csv-ingest';
import { gbdtSpec, TRAINYARD_GBDT, type GbdtEngine } from './support/gbdt-engines';
import { readMatrixFile, rowRange } from './support/matrix-file';
import { writeMixedCsv } from './support/mixed-csv';
import { compareMlp, reportMlp } from './support/mlp-vs-sklearn';
import { compareInference, reportInference } from './support/onnx-vs-native';
import { peersInstalled, runPeer } from './support/python-peer';
import { runBench } from './support/run-bench';
import { fmt, report } from './support/stats';
import { syntheticBinaryMatrix } from './support/synthetic-matrix';
import { compareTraining, reportTraining } from './support/training-vs-peers';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROWS = env('BENCH_ENGINE_ROWS', 1_000_000);
const ROUNDS = env('BENCH_ENGINE_ROUNDS', 100);
const THREADS = env('BENCH_ENGINE_THREADS', availableParallelism());
const SMALL_REPEATS = env('BENCH_SMALL_REPEATS', 5);
const LARGE_REPEATS = env('BENCH_LARGE_REPEATS', 5);
/** The small dataset trains in tens of milliseconds: each repeat is the median of this many trainings per side. */
const SMALL_TRAININGS = env('BENCH_SMALL_TRAININGS', 15);
const ONNX_ROWS = env('BENCH_ONNX_ROWS', 200_000);
const CSV_ROWS = env('BENCH_CSV_ROWS', 1_000_000);
const MLP_ROWS = env('BENCH_MLP_ROWS', 50_000);
const MLP_EPOCHS = env('BENCH_MLP_EPOCHS', 10);
const REAL_DATASET = process.env.BENCH_REAL_DATASET ?? 'breast_cancer';
const ENGINES: GbdtEngine[] = ['xgboost', 'lightgbm'];

async function training(synthetic: BenchSplit, real: BenchSplit, dir: string): Promise<Map<GbdtEngine, Uint8Array>> {
  console.log(`\n(1) training vs the Python packages: ${ROUNDS} rounds, ${THREADS} threads, train + validation eval every round`);
  const models = new Map<GbdtEngine, Uint8Array>();
  // The small case first: it also loads both native libraries before the large case is timed.
  for (const engine of ENGINES) {
    const label = `${engine} ${real.name} (${SMALL_REPEATS} repeats, each the median of ${SMALL_TRAININGS})`;
    reportTraining(label, await compareTraining(engine, real, gbdtSpec(engine, ROUNDS, THREADS), SMALL_REPEATS, dir, SMALL_TRAININGS));
  }
  for (const engine of ENGINES) {
    const result = await compareTraining(engine, synthetic, gbdtSpec(engine, ROUNDS, THREADS), LARGE_REPEATS, dir);
    models.set(engine, result.model);
    reportTraining(`${engine} synthetic`, result);
  }
  return models;
}

async function inference(models: Map<GbdtEngine, Uint8Array>, synthetic: BenchSplit, dir: string): Promise<void> {
  const m = syntheticBinaryMatrix(ONNX_ROWS, synthetic.train.cols, 11);
  console.log(`\n(2) ONNX (onnxruntime-node) vs native predict: ${ONNX_ROWS} rows, synthetic models, median of ${SMALL_REPEATS}`);
  for (const engine of ENGINES) {
    const model = models.get(engine) ?? (await TRAINYARD_GBDT[engine].train(gbdtSpec(engine, ROUNDS, THREADS), synthetic.train, synthetic.validation));
    reportInference(engine, await compareInference(engine, model, m, THREADS, SMALL_REPEATS, dir));
  }
}

async function csvIngest(dir: string): Promise<void> {
  const path = join(dir, 'mixed.csv');
  await writeMixedCsv(path, CSV_ROWS);
  const { size } = await stat(path);
  console.log(`\n(3) CSV ingest: ${CSV_ROWS} rows × 30 mixed columns (${fmt(size / 2 ** 20, 0)} MB), each reader in a fresh process`);
  reportCsvIngest(await compareCsvIngest(path, LARGE_REPEATS));
}

async function mlp(synthetic: BenchSplit, dir: string): Promise<void> {
  const spec = { hiddenLayers: [64, 32], activation: 'relu' as const, learningRate: 0.001, epochs: MLP_EPOCHS, batchSize: 256, seed: 0, threads: THREADS };
  const train = rowRange(synthetic.train, 0, MLP_ROWS);
  const test = rowRange(synthetic.test, 0, 20_000);
  console.log(`\n(4) MLP vs sklearn MLPClassifier: ${train.rows} × ${train.cols}, [${spec.hiddenLayers}] ${spec.activation}, Adam lr ${spec.learningRate}, ${spec.epochs} epochs, batch ${spec.batchSize}; ${test.rows} test rows`);
  reportMlp(await compareMlp(train, test, spec, LARGE_REPEATS, dir));
}

/** Runs one part and says how much CPU other processes took meanwhile, since that skews every figure in it. */
async function section(run: () => Promise<void>): Promise<void> {
  const { othersShare } = await withContention(run);
  report('CPU share taken by other processes meanwhile', `${fmt(100 * othersShare, 0)}%`);
}

async function main(): Promise<void> {
  if (!peersInstalled()) throw new Error('bench/.venv has no Python peers: run `npm run bench -- engines` to install them');
  const only = process.env.BENCH_ONLY?.split(',');
  const wants = (part: string) => !only || only.includes(part);
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-engines-bench-'));
  try {
    const t0 = performance.now();
    const synthetic = await splitAndSave(dir, 'synthetic', syntheticBinaryMatrix(ROWS), [0.8, 0.1], false);
    const realPath = join(dir, `${REAL_DATASET}.bin`);
    await runPeer('sklearn_dataset.py', [REAL_DATASET, realPath]);
    const real = await splitAndSave(dir, REAL_DATASET, await readMatrixFile(realPath), [0.6, 0.2], true);
    console.log(`engines bench: synthetic ${ROWS} × ${synthetic.train.cols} (train ${synthetic.train.rows} / validation ${synthetic.validation.rows} / test ${synthetic.test.rows}); ${real.name} ${real.train.rows + real.validation.rows + real.test.rows} × ${real.train.cols} (60/20/20)`);
    const models = wants('train') ? await training(synthetic, real, dir) : new Map<GbdtEngine, Uint8Array>();
    if (wants('onnx')) await section(() => inference(models, synthetic, dir));
    if (wants('csv')) await section(() => csvIngest(dir));
    if (wants('mlp')) await section(() => mlp(synthetic, dir));
    console.log(`\nengines bench took ${fmt((performance.now() - t0) / 60_000, 1)} min`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

runBench(main);
