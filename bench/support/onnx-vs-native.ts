import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { Matrix } from '@trainyard/ml';
import { maxAbsDiff, scoreOnnx } from '@trainyard/ml';
import type { GbdtEngine } from './gbdt-engines';
import { TRAINYARD_GBDT } from './gbdt-engines';
import { writeMatrixFile } from './matrix-file';
import { runPeer } from './python-peer';
import { fmt, percentile, report } from './stats';

/** Median seconds to score the matrix once, per path. */
export interface InferenceComparison {
  rows: number;
  onnxRun: number;
  scoreOnnx: number;
  trainyardNative: number;
  pythonNative: number;
  /** xgboost only: inplace_predict, which skips the DMatrix. */
  pythonInplace: number | null;
  maxDiff: number;
}

/**
 * Scores one matrix with the engine's model four ways: its ONNX export in onnxruntime-node (a warm session, and
 * Trainyard's scoreOnnx, which creates one per call), Trainyard's native predict, and the Python package's predict.
 */
export async function compareInference(engine: GbdtEngine, model: Uint8Array, m: Matrix, threads: number, repeats: number, dir: string): Promise<InferenceComparison> {
  const trainyard = TRAINYARD_GBDT[engine];
  const onnx = trainyard.toOnnx(model, m.cols);

  let native: Float32Array = new Float32Array(0);
  const trainyardNative = await timed(repeats, async () => {
    native = await trainyard.positiveProbability(model, m);
  });

  const session = await ort.InferenceSession.create(onnx, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 });
  const features = new ort.Tensor('float32', m.data, [m.rows, m.cols]);
  let probabilities: Float32Array = new Float32Array(0);
  const onnxRun = await timed(repeats, async () => {
    probabilities = (await session.run({ features })).probabilities!.data as Float32Array;
  });
  await session.release();
  const scoreOnnxSeconds = await timed(repeats, () => scoreOnnx(onnx, m));

  const modelPath = join(dir, `onnx-bench.${engine}.${trainyard.modelFile}`);
  await writeFile(modelPath, model);
  const matrixPath = await writeMatrixFile(join(dir, 'onnx-bench.bin'), m);
  const peer = await runPeer<Record<string, number[]>>('gbdt_predict.py', [engine, modelPath, matrixPath, String(repeats), String(threads)]);

  const onnxPositive = Float32Array.from({ length: m.rows }, (_, i) => probabilities[2 * i + 1]!);
  return {
    rows: m.rows,
    onnxRun,
    scoreOnnx: scoreOnnxSeconds,
    trainyardNative,
    pythonNative: percentile(peer.dmatrix ?? peer.numpy!, 50),
    pythonInplace: peer.inplace ? percentile(peer.inplace, 50) : null,
    maxDiff: maxAbsDiff(onnxPositive, native),
  };
}

export function reportInference(engine: GbdtEngine, c: InferenceComparison): void {
  const rate = (seconds: number) => fmt(c.rows / seconds / 1e6, 2);
  report(`${engine} ONNX warm session.run (M rows/s)`, rate(c.onnxRun));
  report(`${engine} ONNX scoreOnnx, new session (M rows/s)`, rate(c.scoreOnnx));
  report(`${engine} native: Trainyard predict (M rows/s)`, rate(c.trainyardNative));
  report(`${engine} native: python predict (M rows/s)`, rate(c.pythonNative));
  if (c.pythonInplace !== null) report(`${engine} native: python inplace_predict (M rows/s)`, rate(c.pythonInplace));
  report(`${engine} ONNX / Trainyard native (rows/s)`, fmt(c.trainyardNative / c.onnxRun, 2), '≥ 1');
  report(`${engine} ONNX / python native (rows/s)`, fmt(c.pythonNative / c.onnxRun, 2), '≥ 1');
  report(`${engine} max |p_onnx − p_native|`, c.maxDiff.toExponential(1));
}

/** A warm-up call, then the median of `repeats` timed calls, in seconds. */
async function timed(repeats: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const seconds: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return percentile(seconds, 50);
}
