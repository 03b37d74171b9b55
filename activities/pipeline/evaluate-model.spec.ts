import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { EvaluateResult, StoredObject } from '@trainyard/contracts';
import { classificationMetrics, composeWithPreprocessing, modelFamily, regressionMetrics, type PreparedData } from '@trainyard/ml';
import { objectKeys, sha256Of } from '@trainyard/storage';
import { fakeDeps, StepAttempt, TENANT_ID, type FakeDeps } from '../testing/fakes';
import { churnFrame, stepInput, trainingSpec } from '../testing/sample-data';
import { alignClasses, compareWithAlias, evaluateModel, parityGap, PARITY_TOLERANCE, scoreSample, type AliasHolder } from './evaluate-model';
import { evaluationPlots } from './evaluation-plots';
import { prepareForSpec } from './preprocess';

const family = modelFamily('xgboost');
const params = { numRounds: 15, maxDepth: 3, nthread: 1, seed: 1 };

async function trained(prepared: PreparedData): Promise<Uint8Array> {
  const classes = prepared.classLabels?.length ?? 0;
  return (await family.train({ task: prepared.task, numClasses: classes, train: prepared.train, validation: prepared.validation, params })).model;
}

describe('evaluateModel', () => {
  const input = stepInput();
  let fake: FakeDeps;
  let prepared: PreparedData;
  let model: Uint8Array;
  let attempt: StepAttempt;
  let result: EvaluateResult;

  before(async () => {
    fake = await fakeDeps();
    ({ prepared } = await prepareForSpec(input.spec, churnFrame(300), 1));
    model = await trained(prepared);
    attempt = new StepAttempt(fake.deps);
    result = await attempt.run('evaluate', (ctx) => evaluateModel(fake.deps, ctx, input, prepared, model));
  });
  after(() => fake.dispose());

  it('keeps the ONNX model, its plan and the engine model under models/<tenant>/<sha256>', async () => {
    const onnx = await fake.deps.storage.readBytes(result.onnx);
    assert.equal(result.onnx.key, objectKeys.model(TENANT_ID, sha256Of(onnx), 'onnx'));
    assert.equal(result.plan.key, objectKeys.model(TENANT_ID, sha256Of(onnx), 'plan.json'));
    assert.equal(result.engineModel?.key, objectKeys.model(TENANT_ID, sha256Of(model), 'model'));
    assert.deepEqual(await fake.deps.storage.readBytes(result.engineModel!), Buffer.from(model));
    assert.deepEqual(fake.store.keys(), [result.onnx.key, result.plan.key, result.engineModel!.key].sort());
    assert.deepEqual(JSON.parse((await fake.deps.storage.readBytes(result.plan)).toString('utf8')), JSON.parse(JSON.stringify(prepared.plan)));
  });

  it('scores the splits with the engine’s predictions and records the metrics on the job', async () => {
    const labels = prepared.classLabels!;
    const testScores = await family.predict(model, prepared.test, 2);
    const expected = { ...classificationMetrics(prepared.test.labels, testScores, labels), ...evaluationPlots(prepared, prepared.test, testScores) } as unknown as Record<string, unknown>;
    const expectedValidation = classificationMetrics(prepared.validation!.labels, await family.predict(model, prepared.validation!, 2), labels) as unknown as Record<string, unknown>;
    const expectedTrain = classificationMetrics(prepared.train.labels, await family.predict(model, prepared.train, 2), labels);
    assert.deepEqual(result.metrics, expected);
    assert.deepEqual(result.validationMetrics, expectedValidation);
    assert.deepEqual(attempt.jobs.results, [{ metrics: expected, validationMetrics: expectedValidation, trainMetrics: expectedTrain, deploymentReady: undefined }]);
  });

  it('holds the ONNX model to the engine on every sampled test row, and says how close they came', () => {
    assert.equal(result.parityRows, prepared.test.rows);
    assert.ok(result.parityMaxAbsDiff <= PARITY_TOLERANCE);
    assert.match(attempt.jobs.messages('info')[0], new RegExp(`^ONNX parity max \\|Δ\\| = \\S+ on ${prepared.test.rows} test rows; test metrics recorded$`));
  });

  it('fails with ONNX_PARITY_FAILED, keeping nothing, when the export disagrees with the engine', async () => {
    const sample = prepared.paritySample!;
    // The raw rows no longer line up with the test rows: as if the export encoded them differently.
    const misaligned = { ...prepared, paritySample: { ...sample, pick: sample.pick.slice().reverse() } };
    const store = await fakeDeps();
    try {
      const failing = new StepAttempt(store.deps);
      await assert.rejects(failing.run('evaluate', (ctx) => evaluateModel(store.deps, ctx, input, misaligned, model)), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.equal(err.type, 'ONNX_PARITY_FAILED');
        assert.equal(err.nonRetryable, true);
        assert.match(err.message, new RegExp(`on ${sample.pick.length} test rows \\(tolerance ${PARITY_TOLERANCE}\\)$`));
        return true;
      });
      assert.deepEqual(store.store.keys(), []);
      assert.deepEqual(failing.jobs.results, []);
    } finally {
      await store.dispose();
    }
  });

  it('asks for preprocessing again when the prepared data has no parity sample', async () => {
    const without = { ...prepared, paritySample: undefined };
    await assert.rejects(new StepAttempt(fake.deps).run('evaluate', (ctx) => evaluateModel(fake.deps, ctx, input, without, model)), /no parity sample; preprocess again/);
  });

  it('scores a regression with the engine too', async () => {
    const regression = stepInput(trainingSpec({ target: 'monthly', exclude: ['signup', 'churned'] }));
    const { prepared: values } = await prepareForSpec(regression.spec, churnFrame(300), 1);
    const valuesModel = await trained(values);
    const evaluated = await new StepAttempt(fake.deps).run('evaluate', (ctx) => evaluateModel(fake.deps, ctx, regression, values, valuesModel));
    const scores = await family.predict(valuesModel, values.test, 0);
    assert.deepEqual(evaluated.metrics, { ...regressionMetrics(values.test.labels, scores), ...evaluationPlots(values, values.test, scores) });
  });

  describe('the promotion comparison', () => {
    let candidateScores: Float32Array;
    const holding = (model: AliasHolder['model'], version = 3) => async () => ({ version, model });
    const compare = (metric: string, findHolder: () => Promise<AliasHolder | null>, jobs = new StepAttempt(fake.deps)) =>
      jobs.run('evaluate', (ctx) => compareWithAlias(ctx, { alias: 'production', metric }, prepared, candidateScores, findHolder));

    before(async () => {
      const onnx = composeWithPreprocessing(family.toOnnx(model, { featureCount: prepared.featureNames.length, task: 'classification', classLabels: prepared.classLabels }), prepared.plan);
      candidateScores = await scoreSample(onnx, prepared.plan, prepared.paritySample!);
    });

    it('scores the candidate on the sampled test rows and has no incumbent when the alias is unset', async () => {
      const expected = classificationMetrics(prepared.test.labels, candidateScores, prepared.classLabels!).accuracy;
      assert.deepEqual(await compare('accuracy', async () => null), { alias: 'production', metric: 'accuracy', candidate: expected, incumbentVersion: null, incumbent: null });
    });

    it('scores the alias holder on the same rows: the same model scores the same', async () => {
      const same = await compare('rocAuc', holding({ artifact: result.onnx, plan: result.plan, classLabels: prepared.classLabels }));
      assert.equal(same.incumbentVersion, 3);
      assert.equal(same.incumbent, same.candidate);
    });

    it('aligns the holder’s classes by name', async () => {
      // The same probabilities under swapped class names: every prediction flips.
      const swapped = [...prepared.classLabels!].reverse();
      const flipped = await compare('accuracy', holding({ artifact: result.onnx, plan: result.plan, classLabels: swapped }));
      assert.ok(Math.abs(flipped.incumbent! - (1 - flipped.candidate)) < 1e-9, `${flipped.incumbent} vs 1 - ${flipped.candidate}`);
    });

    it('gives a null incumbent, saying why, for a holder that cannot be scored', async () => {
      assert.deepEqual(await compare('accuracy', holding(null, 2)).then((c) => [c.incumbentVersion, c.incumbent]), [2, null]);
      const gone: StoredObject = { key: objectKeys.model(TENANT_ID, 'f'.repeat(64), 'onnx'), sha256: 'f'.repeat(64), size: 10, encoding: 'identity' };
      const attempt = new StepAttempt(fake.deps);
      const missing = await compare('accuracy', holding({ artifact: gone, plan: result.plan, classLabels: prepared.classLabels }, 5), attempt);
      assert.deepEqual([missing.incumbentVersion, missing.incumbent], [5, null]);
      assert.match(attempt.jobs.messages('warn')[0], /^could not score production \(v5\) on this job's test rows: no object is stored under models\//);
    });

    it('refuses a metric the task does not have, before looking for the holder', async () => {
      let looked = false;
      await assert.rejects(
        compare('rmse', async () => ((looked = true), null)),
        (err: unknown) => err instanceof ApplicationFailure && err.type === 'INVALID_HYPERPARAMETERS' && /rmse is not defined for a classification task/.test(err.message),
      );
      assert.equal(looked, false);
    });
  });
});

describe('parityGap', () => {
  it('is absolute up to 1 and relative beyond', () => {
    assert.equal(parityGap(Float32Array.of(0.5, 0.25), Float32Array.of(0.5, 0.5)), 0.25);
    assert.equal(parityGap(Float32Array.of(110), Float32Array.of(100)), 0.1);
  });

  it('is infinite for a different length or a NaN on one side only, and ignores NaN on both', () => {
    assert.equal(parityGap(Float32Array.of(1), Float32Array.of(1, 2)), Infinity);
    assert.equal(parityGap(Float32Array.of(Number.NaN), Float32Array.of(1)), Infinity);
    assert.equal(parityGap(Float32Array.of(Number.NaN, 2), Float32Array.of(Number.NaN, 2)), 0);
  });
});

describe('alignClasses', () => {
  it('reorders probability columns to our class order, a class they lack scoring 0', () => {
    const theirs = Float32Array.of(0.1, 0.9, 0.7, 0.3); // two rows over [b, a]
    assert.deepEqual(Array.from(alignClasses(theirs, ['b', 'a'], ['a', 'b', 'c'])), [0.9, 0.1, 0, 0.3, 0.7, 0].map(Math.fround));
  });

  it('drops a class we do not have, and hands back the same scores when the order already matches', () => {
    const twoRows = Float32Array.of(0.2, 0.3, 0.5, 0.6, 0.3, 0.1);
    assert.deepEqual(Array.from(alignClasses(twoRows, ['a', 'b', 'x'], ['a', 'b'])), [0.2, 0.3, 0.6, 0.3].map(Math.fround));
    const same = Float32Array.of(0.4, 0.6);
    assert.equal(alignClasses(same, ['a', 'b'], ['a', 'b']), same);
  });
});
