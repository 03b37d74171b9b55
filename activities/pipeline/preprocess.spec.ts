import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultValidation, type ValidationSpec } from '@trainyard/contracts';
import type { NumericColumn } from '@trainyard/ml';
import { fakeDeps, StepAttempt, type FakeDeps } from '../testing/fakes';
import { churnFrame, stepInput, trainingSpec } from '../testing/sample-data';
import { PARITY_ROWS, prepareForSpec, preprocess } from './preprocess';

const frame = churnFrame(300);
const validation = (v: Partial<ValidationSpec>): ValidationSpec => ({ ...defaultValidation, ...v });

/** Training rows per class label, by sample weight when `weighted`. */
function perClass(labels: Float32Array, names: string[], weights?: Float32Array): Record<string, number> {
  const out = Object.fromEntries(names.map((n) => [n, 0]));
  labels.forEach((label, i) => (out[names[label]] += weights ? weights[i] : 1));
  return out;
}

describe('prepareForSpec', () => {
  it('keeps the raw test rows the export is checked on, and sums up the split', async () => {
    const { prepared, summary } = await prepareForSpec(trainingSpec(), frame, 1);
    const sample = prepared.paritySample!;
    assert.equal(sample.pick.length, prepared.test.rows);
    assert.equal(sample.frame.rowCount, prepared.test.rows);
    const tenure = (f: typeof frame) => (f.columns.find((c) => c.name === 'tenure') as NumericColumn).values;
    assert.deepEqual(
      Array.from(sample.pick, (at) => tenure(sample.frame)[at]),
      Array.from(prepared.frameRows!.test, (row) => tenure(frame)[row]),
      'the sample holds the raw form of the test rows, in test order',
    );
    assert.equal(prepared.trainTimes, undefined);
    assert.deepEqual(summary, {
      task: 'classification',
      featureNames: prepared.featureNames,
      classLabels: ['no', 'yes'],
      trainRows: prepared.train.rows,
      validationRows: prepared.validation!.rows,
      testRows: prepared.test.rows,
      classDistribution: { counts: { no: 225, yes: 75 }, imbalanceRatio: 3 },
    });
    assert.equal(summary.trainRows + summary.validationRows + summary.testRows, 300);
  });

  it(`checks the export on at most ${PARITY_ROWS} test rows`, async () => {
    const { prepared } = await prepareForSpec(trainingSpec(), churnFrame(60_000), 1);
    assert.ok(prepared.test.rows > PARITY_ROWS);
    assert.equal(prepared.paritySample!.pick.length, PARITY_ROWS);
  });

  it('keeps the training rows’ times for expanding-window folds, and only for them', async () => {
    const spec = trainingSpec({ validation: validation({ method: 'time_series_cv', timeColumn: 'signup', folds: 3 }) });
    const { prepared } = await prepareForSpec(spec, frame, 1);
    const signup = (frame.columns.find((c) => c.name === 'signup') as NumericColumn).values;
    assert.deepEqual(Array.from(prepared.trainTimes!), Array.from(prepared.frameRows!.train, (row) => signup[row]));
    for (const method of ['time_series', 'kfold'] as const) {
      const other = await prepareForSpec(trainingSpec({ validation: validation({ method, timeColumn: method === 'kfold' ? null : 'signup' }) }), frame, 1);
      assert.equal(other.prepared.trainTimes, undefined, method);
    }
  });

  it('weighs the training rows by class when asked: balanced, or a weight per label', async () => {
    const plain = await prepareForSpec(trainingSpec(), frame, 1);
    assert.equal(plain.prepared.train.weights, undefined);
    assert.equal(plain.prepared.classWeights, undefined);

    const balanced = (await prepareForSpec(trainingSpec({ preprocessing: { timeFeatures: null, featureSelection: null, classWeights: 'balanced' } }), frame, 1)).prepared;
    const mass = perClass(balanced.train.labels, balanced.classLabels!, balanced.train.weights);
    assert.ok(Math.abs(mass.no - mass.yes) < 1e-3, `balanced class mass ${JSON.stringify(mass)}`);

    const named = (await prepareForSpec(trainingSpec({ preprocessing: { timeFeatures: null, featureSelection: null, classWeights: { yes: 3 } } }), frame, 1)).prepared;
    const yes = named.classLabels!.indexOf('yes');
    assert.ok(named.train.weights!.every((w, i) => w === (named.train.labels[i] === yes ? 3 : 1)));
  });

  it('oversamples the smaller classes of the training rows when asked', async () => {
    const plain = (await prepareForSpec(trainingSpec(), frame, 1)).prepared;
    const { prepared, summary } = await prepareForSpec(trainingSpec({ preprocessing: { timeFeatures: null, featureSelection: null, oversample: true } }), frame, 1);
    const counts = perClass(prepared.train.labels, prepared.classLabels!);
    assert.equal(counts.yes, counts.no);
    assert.equal(counts.no, perClass(plain.train.labels, plain.classLabels!).no);
    assert.deepEqual(summary.classDistribution?.oversampledTrainCounts, counts);
    assert.equal(prepared.test.rows, plain.test.rows, 'held-out rows are never oversampled');
  });

  it('imputes and scales for a model family that needs it, and leaves trees their NaN', async () => {
    const linear = (await prepareForSpec(trainingSpec({ model: { type: 'linear', params: {} } }), frame, 1)).prepared;
    assert.ok(linear.plan.scaling && linear.plan.imputeValues);
    const trees = (await prepareForSpec(trainingSpec(), frame, 1)).prepared;
    assert.equal(trees.plan.scaling, undefined);
    assert.equal(trees.plan.imputeValues, undefined);
  });

  it('keeps the columns feature selection ranks highest, and prepares from those alone', async () => {
    const spec = trainingSpec({ preprocessing: { timeFeatures: null, featureSelection: { topK: 2, minImportance: null } } });
    const { prepared, summary } = await prepareForSpec(spec, frame, 1);
    const selection = summary.featureSelection!;
    assert.deepEqual(selection.kept.slice().sort(), ['monthly', 'tenure']);
    assert.deepEqual(selection.dropped.slice().sort(), ['noise', 'plan']);
    assert.deepEqual(prepared.plan.inputs.map((i) => i.name).sort(), ['monthly', 'tenure']);
  });
});

describe('preprocess', () => {
  let fake: FakeDeps;
  before(async () => (fake = await fakeDeps()));
  after(() => fake.dispose());

  it('records the task and states the split and the class distribution in the log', async () => {
    const attempt = new StepAttempt(fake.deps);
    const { prepared } = await attempt.run('preprocess', (ctx) => preprocess(ctx, stepInput(), frame, 1));
    assert.deepEqual(attempt.jobs.results, [{ task: 'classification', classDistribution: { counts: { no: 225, yes: 75 }, imbalanceRatio: 3 } }]);
    assert.deepEqual(attempt.jobs.messages(), [
      `classification: ${prepared.featureNames.length} features; ${prepared.train.rows} train, ${prepared.validation!.rows} validation, ${prepared.test.rows} test rows`,
      'class distribution no: 225, yes: 75; imbalance ratio 3.00',
    ]);
    assert.deepEqual(attempt.jobs.logs[1].data, { counts: { no: 225, yes: 75 }, imbalanceRatio: 3 });
    assert.equal(attempt.jobs.logs[1].level, 'info');
  });

  it('warns when one class outnumbers another ten to one', async () => {
    const attempt = new StepAttempt(fake.deps);
    await attempt.run('preprocess', (ctx) => preprocess(ctx, stepInput(), churnFrame(300, { minorityEvery: 15 }), 1));
    assert.deepEqual(attempt.jobs.messages('warn'), ['class distribution no: 280, yes: 20; imbalance ratio 14.00']);
  });

  it('says what feature selection kept, and states no class distribution for a regression', async () => {
    const spec = trainingSpec({ target: 'monthly', exclude: ['signup', 'churned'], preprocessing: { timeFeatures: null, featureSelection: { topK: 1, minImportance: null } } });
    const attempt = new StepAttempt(fake.deps);
    await attempt.run('preprocess', (ctx) => preprocess(ctx, stepInput(spec), frame, 1));
    const [selection, split, ...rest] = attempt.jobs.messages();
    assert.equal(selection, 'feature selection kept 1 of 3 columns');
    assert.match(split, /^regression: \d+ features; /);
    assert.deepEqual(rest, []);
  });
});
