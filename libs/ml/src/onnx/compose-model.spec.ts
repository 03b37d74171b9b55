import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { defaultValidation, type Task } from '@trainyard/contracts';
import { frameRecords } from '../data/frame-records';
import { predictXGBoost, trainXGBoost } from '../engines/xgboost';
import { applyPlanToRecords } from '../preprocess/apply-plan-to-records';
import { prepareData } from '../preprocess/prepare-data';
import type { PreprocessPlan } from '../preprocess/preprocess-plan';
import { SYNTHETIC_TARGETS, syntheticRawFrame } from '../preprocess/synthetic-frame';
import { CLASS_LABELS_KEY, RAW_INPUTS_KEY, composeWithPreprocessing, scoreRawOnnx } from './compose-model';
import { onnxType } from './onnx-proto';
import { maxAbsDiff } from './score-onnx';
import { xgboostToOnnx } from './xgboost-to-onnx';

const PARITY = 1e-5;

/** Held-out raw rows as a predict request would send them, plus unseen categories, nulls and absent fields. */
function requestRecords(): Record<string, unknown>[] {
  const records = frameRecords(syntheticRawFrame(400, 32)).map((r) => {
    for (const target of SYNTHETIC_TARGETS) delete r[target];
    return r;
  });
  records.push(
    { amount: 30, visits: 5, active: true, plan: 'platinum', city: 'atlantis', signup: '2016-02-29T10:00:00Z' },
    { amount: null, visits: null, active: null, plan: null, city: null, signup: null },
    { plan: 'pro', signup: '1955-07-04' },
    {},
    { amount: '250', visits: '12', active: 'true', plan: '', city: 'city-2', signup: '1969-12-31T23:00:00-05:00' },
  );
  return records;
}

interface Trained {
  plan: PreprocessPlan;
  model: Uint8Array;
  composed: Uint8Array;
  numClasses: number;
}

async function train(target: 'churned' | 'tier' | 'spend', task: Task, extra: { impute?: boolean; scaling?: boolean }): Promise<Trained> {
  const frame = syntheticRawFrame(1500, 31);
  const exclude = SYNTHETIC_TARGETS.filter((t) => t !== target);
  const p = prepareData(frame, { target, features: null, exclude, task, validation: { ...defaultValidation }, ...extra });
  const numClasses = p.classLabels?.length ?? 0;
  const trained = await trainXGBoost({ task, numClasses, train: p.train, params: { numRounds: 40, maxDepth: 5 } });
  const core = xgboostToOnnx(trained.model, { featureCount: p.train.cols, task, classLabels: p.classLabels });
  return { plan: p.plan, model: trained.model, composed: composeWithPreprocessing(core, p.plan), numClasses };
}

/** XGBoost on applyPlan's matrix, as [N, K] probabilities or [N] values. */
async function expected(t: Trained, records: Record<string, unknown>[]): Promise<Float32Array> {
  const data = applyPlanToRecords(t.plan, records);
  const rows = records.length;
  const predicted = await predictXGBoost(t.model, { rows, cols: t.plan.featureNames.length, data, labels: new Float32Array(rows) });
  if (t.numClasses !== 2) return predicted;
  return Float32Array.from({ length: rows * 2 }, (_, i) => (i % 2 ? predicted[i >> 1] : 1 - predicted[i >> 1]));
}

describe('composeWithPreprocessing parity on raw records', () => {
  const cases = [
    ['binary, trees keep NaN', 'churned', 'classification', {}],
    ['binary, imputed and scaled', 'churned', 'classification', { impute: true, scaling: true }],
    ['multiclass, scaled', 'tier', 'classification', { scaling: true }],
    ['regression, imputed', 'spend', 'regression', { impute: true }],
  ] as const;
  for (const [label, target, task, extra] of cases) {
    it(`${label}: composed ONNX on raw records matches XGBoost on applyPlan`, async () => {
      const t = await train(target, task, extra);
      const records = requestRecords();
      const want = await expected(t, records);
      const scores = await scoreRawOnnx(t.composed, t.plan, records);
      const got = task === 'regression' ? scores.values! : scores.probabilities!;
      const diff = maxAbsDiff(got, want);
      console.log(`${label}: max abs diff ${diff} over ${records.length} raw records`);
      assert.ok(diff <= PARITY, `max abs diff ${diff}`);
      if (task === 'classification') {
        for (let r = 0; r < records.length; r++) {
          const row = Array.from(want.subarray(r * t.numClasses, (r + 1) * t.numClasses));
          assert.equal(scores.labels![r], row.indexOf(Math.max(...row)));
        }
      }
    });
  }
});

describe('composeWithPreprocessing model shape', () => {
  it('takes one input per raw column, keeps the core outputs and records the schema', async () => {
    const t = await train('tier', 'classification', {});
    const session = await ort.InferenceSession.create(t.composed);
    try {
      assert.deepEqual([...session.inputNames], ['amount', 'visits', 'active', 'plan', 'city', 'signup']);
      assert.deepEqual([...session.outputNames], ['label', 'probabilities']);
    } finally {
      await session.release();
    }
    const ModelProto = onnxType('ModelProto');
    const model = ModelProto.toObject(ModelProto.decode(t.composed), { longs: Number }) as {
      metadataProps: { key: string; value: string }[];
      opsetImport: { domain?: string; version: number }[];
    };
    const meta = new Map(model.metadataProps.map(({ key, value }) => [key, value]));
    assert.equal(meta.get('objective'), 'multi:softprob', 'core metadata is kept');
    assert.deepEqual(JSON.parse(meta.get(CLASS_LABELS_KEY)!), ['a', 'b', 'c']);
    assert.equal(JSON.parse(meta.get(RAW_INPUTS_KEY)!)[5].type, 'tensor(double)');
    assert.deepEqual(model.opsetImport.map((o) => `${o.domain ?? ''}:${o.version}`).sort(), [':17', 'ai.onnx.ml:3']);
  });

  it('refuses a raw column named like a core output', async () => {
    const t = await train('churned', 'classification', {});
    const core = xgboostToOnnx(t.model, { featureCount: t.plan.featureNames.length, task: 'classification', classLabels: null });
    const renamed: PreprocessPlan = {
      ...t.plan,
      inputs: t.plan.inputs.map((i) => (i.name === 'amount' ? { ...i, name: 'label' } : i)),
      transforms: t.plan.transforms.map((x) => (x.column === 'amount' ? { ...x, column: 'label' } : x)),
    };
    assert.throws(() => composeWithPreprocessing(core, renamed), /"label" clashes/);
  });
});
