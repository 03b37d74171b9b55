import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultValidation } from '@trainyard/contracts';
import { classificationMetrics } from '../../metrics/classification-metrics';
import { regressionMetrics } from '../../metrics/regression-metrics';
import { prepareData } from '../../preprocess/prepare-data';
import { syntheticRawFrame } from '../../preprocess/synthetic-frame';
import { mlpFamily } from './mlp-family';

/** syntheticRawFrame: mixed numeric, boolean, text and datetime columns with missing values, prepared as a job would. */
function prepared(target: 'churned' | 'tier' | 'spend') {
  const frame = syntheticRawFrame(1500, 3);
  const exclude = ['churned', 'tier', 'spend'].filter((t) => t !== target);
  return prepareData(frame, { target, features: null, exclude, task: null, validation: { ...defaultValidation }, scaling: true, impute: true });
}

function majorityAccuracy(train: Float32Array, test: Float32Array): number {
  const counts = new Map<number, number>();
  for (const l of train) counts.set(l, (counts.get(l) ?? 0) + 1);
  const majority = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  return test.filter((l) => l === majority).length / test.length;
}

describe('mlp defaults beat the naive baselines', () => {
  for (const target of ['churned', 'tier'] as const) {
    it(`${target === 'churned' ? 'binary' : 'multiclass'} classification: accuracy well above the majority class`, async () => {
      const p = prepared(target);
      const k = p.classLabels!.length;
      const result = await mlpFamily.train({ task: 'classification', numClasses: k, train: p.train, validation: p.validation, params: {} });
      const metrics = classificationMetrics(p.test.labels, await mlpFamily.predict(result.model, p.test, k), p.classLabels!);
      const baseline = majorityAccuracy(p.train.labels, p.test.labels);
      console.log(`mlp defaults ${target}: ${result.rounds} epochs, test accuracy ${metrics.accuracy.toFixed(3)} vs majority ${baseline.toFixed(3)}`);
      assert.ok(metrics.accuracy > baseline + 0.15, `accuracy ${metrics.accuracy} vs majority ${baseline}`);
    });
  }

  it('regression: rmse well below the mean predictor', async () => {
    const p = prepared('spend');
    const result = await mlpFamily.train({ task: 'regression', numClasses: 0, train: p.train, validation: p.validation, params: {} });
    const metrics = regressionMetrics(p.test.labels, await mlpFamily.predict(result.model, p.test, 0));
    const mean = p.train.labels.reduce((a, b) => a + b, 0) / p.train.rows;
    const baseline = regressionMetrics(p.test.labels, new Float32Array(p.test.rows).fill(mean));
    console.log(`mlp defaults spend: ${result.rounds} epochs, test rmse ${metrics.rmse.toFixed(3)} (r2 ${metrics.r2.toFixed(3)}) vs mean ${baseline.rmse.toFixed(3)}`);
    assert.ok(metrics.rmse < 0.7 * baseline.rmse, `rmse ${metrics.rmse} vs ${baseline.rmse}`);
  });
});
