import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultValidation, type Task } from '@trainyard/contracts';
import { frameRecords } from '../../data/frame-records';
import { composeWithPreprocessing, scoreRawOnnx } from '../../onnx/compose-model';
import { maxAbsDiff } from '../../onnx/score-onnx';
import { applyPlanToRecords } from '../../preprocess/apply-plan-to-records';
import { prepareData } from '../../preprocess/prepare-data';
import { SYNTHETIC_TARGETS, syntheticRawFrame } from '../../preprocess/synthetic-frame';
import type { ModelFamily } from '../model-family';
import { mlpFamily } from '../mlp';
import { linearFamily } from './linear-family';

/** The dense families' ONNX must survive composition with the preprocessing graph (renamed values, merged opsets). */
describe('linear and mlp ONNX composed with preprocessing', () => {
  const cases: [ModelFamily, 'churned' | 'tier' | 'spend', Task, Record<string, unknown>][] = [
    [linearFamily, 'churned', 'classification', {}],
    [linearFamily, 'spend', 'regression', {}],
    [mlpFamily, 'tier', 'classification', { epochs: 5 }],
    [mlpFamily, 'spend', 'regression', { epochs: 5 }],
  ];
  for (const [family, target, task, params] of cases) {
    it(`${family.type} ${target}: composed model on raw records matches predict on applyPlan`, async () => {
      const frame = syntheticRawFrame(1200, 41);
      const exclude = SYNTHETIC_TARGETS.filter((t) => t !== target);
      const p = prepareData(frame, { target, features: null, exclude, task, validation: { ...defaultValidation }, impute: true, scaling: true });
      const numClasses = p.classLabels?.length ?? 0;
      const trained = await family.train({ task, numClasses, train: p.train, params });
      const core = family.toOnnx(trained.model, { featureCount: p.train.cols, task, classLabels: p.classLabels });
      const composed = composeWithPreprocessing(core, p.plan);
      const records = frameRecords(syntheticRawFrame(200, 42));
      const data = applyPlanToRecords(p.plan, records);
      const want = await family.predict(trained.model, { rows: records.length, cols: p.train.cols, data, labels: new Float32Array(records.length) }, numClasses);
      const scores = await scoreRawOnnx(composed, p.plan, records);
      const got = task === 'regression' ? scores.values! : scores.probabilities!;
      const diff = maxAbsDiff(got, want);
      console.log(`${family.type} ${target} composed: max abs diff ${diff}`);
      assert.ok(diff <= 1e-4 * Math.max(1, ...Array.from(want, Math.abs)), `max abs diff ${diff}`);
    });
  }
});
