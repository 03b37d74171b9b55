import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import type { Frame } from '../data/frame';
import type { PreprocessPlan } from '../preprocess/preprocess-plan';
import { preprocessingModel, rawInputFeeds } from './compose-model';

/** For specs: the plan's preprocessing graph run by onnxruntime over raw rows; one row of features per input row. */
export async function runPreprocessingGraph(plan: PreprocessPlan, rows: Frame | Record<string, unknown>[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(preprocessingModel(plan));
  try {
    const out = await session.run(rawInputFeeds(plan, rows));
    assert.deepEqual(out.features.dims, [Array.isArray(rows) ? rows.length : rows.rowCount, plan.featureNames.length]);
    return out.features.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** For specs: the same float32 bits everywhere, NaN included; a failure names the row and feature. */
export function assertSameBits(actual: Float32Array, expected: Float32Array, plan: PreprocessPlan): void {
  assert.equal(actual.length, expected.length);
  const cols = plan.featureNames.length;
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) assert.fail(`row ${Math.floor(i / cols)} ${plan.featureNames[i % cols]}: graph ${actual[i]}, TypeScript ${expected[i]}`);
  }
}
