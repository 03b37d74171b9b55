import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './support/http';
import { SAMPLE_CHURN_CSV, binaryCsv, multiclassCsv, regressionCsv } from './support/datasets';
import { sql } from './support/sql';
import { startTestStack, type TestStack } from './support/test-stack';

const PARAMS = {
  lightgbm: { numRounds: 40 },
  random_forest: { numTrees: 40 },
  linear: { l2: 1 },
  mlp: { hiddenLayers: [16], epochs: 15 },
  ensemble: { members: [{ type: 'xgboost', params: { numRounds: 20 } }, { type: 'linear' }] },
  lstm: { window: 4, epochs: 5 },
};
const ENGINES = { lightgbm: 'lightgbm', random_forest: 'lightgbm', linear: 'trainyard-linear', mlp: 'tfjs-wasm', ensemble: 'trainyard-ensemble', lstm: 'tfjs-wasm' };

describe('training pipeline end to end (real Temporal, real PostgreSQL, every model family)', () => {
  let stack: TestStack;
  let api: ApiClient;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
  });
  after(() => stack?.stop());

  it('trains the bundled sample dataset to a registered ONNX model through HTTP', async () => {
    const upload = await api.uploadFile('churn-sample', SAMPLE_CHURN_CSV);
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    const created = await api.post('/v1/training-jobs', { datasetId: upload.body.id, target: 'churned', exclude: ['customer_id'], model: { type: 'xgboost', params: { numRounds: 60, maxDepth: 4 } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'queued');
    assert.equal(created.body.name, 'churn-sample-xgboost');
    assert.equal(created.body.workflowId, `training-job-${created.body.id}`);

    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.equal(job.progress, 1);
    assert.equal(job.stage, 'register');
    assert.equal(job.device, 'cpu');
    assert.equal(job.task, 'classification');
    assert.deepEqual(job.modelVersion, { name: 'churn-sample-xgboost', version: 1 });
    assert.ok(job.metrics.rocAuc > 0.7, `rocAuc ${job.metrics.rocAuc}`);
    for (const key of ['accuracy', 'precision', 'recall', 'f1', 'logLoss', 'perClass', 'confusionMatrix']) assert.ok(key in job.metrics, key);
    assert.ok(job.validationMetrics, 'validation metrics recorded');
    assert.ok(job.startedAt && job.completedAt && job.durationSeconds >= 0);

    // The job and its version record the params as trained: every default, and the thread count the worker chose.
    const threads = Math.max(1, Math.floor(availableParallelism() / stack.config.cpuSlots));
    assert.deepEqual(job.model.params, { numRounds: 60, maxDepth: 4 }, 'the request stays as it was');
    assert.deepEqual(
      [job.effectiveParams.numRounds, job.effectiveParams.maxDepth, job.effectiveParams.learningRate, job.effectiveParams.treeMethod, job.effectiveParams.nthread, job.effectiveParams.subsample],
      [60, 4, 0.3, 'hist', threads, 1],
    );
    const lineage = (await api.get(`/v1/models/${job.modelVersion.name}/versions/1`)).body.lineage;
    assert.deepEqual(lineage.params, { numRounds: 60, maxDepth: 4 });
    assert.deepEqual(lineage.effectiveParams, job.effectiveParams);

    const series = await api.get(`/v1/training-jobs/${job.id}/metrics`);
    assert.equal(series.body.series['train.logLoss'].length, 60);
    assert.equal(series.body.series['validation.logLoss'].length, 60);
    assert.ok(series.body.series['train.logLoss'][59].value < series.body.series['train.logLoss'][0].value, 'training loss falls');

    const logs = await api.get(`/v1/training-jobs/${job.id}/logs?tail=100`);
    const stages = new Set(logs.body.items.map((l: { stage: string | null }) => l.stage));
    for (const stage of ['load_features', 'preprocess', 'train', 'evaluate', 'register']) assert.ok(stages.has(stage), `a log line from ${stage}`);
    assert.ok(logs.body.items.some((l: { message: string }) => l.message.includes('ONNX parity')));
  });

  it('trains multiclass with string labels and regression with a categorical column', async () => {
    const multi = await api.uploadDataset('species', multiclassCsv());
    const reg = await api.uploadDataset('houses', regressionCsv());
    const [m, r] = await Promise.all([
      api.post('/v1/training-jobs', { datasetId: multi.body.id, target: 'species', model: { type: 'xgboost', params: { numRounds: 30 } } }),
      api.post('/v1/training-jobs', { datasetId: reg.body.id, target: 'price', model: { type: 'xgboost', params: { numRounds: 80 } } }),
    ]);
    const [mj, rj] = await Promise.all([api.waitForJob(m.body.id), api.waitForJob(r.body.id)]);
    assert.equal(mj.status, 'completed', JSON.stringify(mj.error));
    assert.equal(mj.task, 'classification');
    assert.deepEqual(Object.keys(mj.metrics.perClass).sort(), ['setosa', 'versicolor', 'virginica']);
    assert.equal(mj.metrics.confusionMatrix.length, 3);
    assert.ok(mj.metrics.accuracy > 0.6, `accuracy ${mj.metrics.accuracy}`);
    assert.equal(rj.status, 'completed', JSON.stringify(rj.error));
    assert.equal(rj.task, 'regression');
    assert.ok(rj.metrics.r2 > 0.8, `r2 ${rj.metrics.r2}`);
    for (const key of ['mae', 'rmse', 'mape']) assert.ok(rj.metrics[key] > 0, key);
  });

  for (const type of ['lightgbm', 'random_forest', 'linear', 'mlp', 'ensemble', 'lstm'] as const) {
    it(`trains ${type} end to end and serves it from raw records`, async () => {
      const ds = await api.uploadFile(`churn-${type}`, SAMPLE_CHURN_CSV);
      const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'churned', exclude: ['customer_id'], model: { type, params: PARAMS[type] }, ...(type === 'lstm' ? { validation: { method: 'time_series', timeColumn: 'signup_date' } } : {}) });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const job = await api.waitForJob(created.body.id);
      assert.equal(job.status, 'completed', JSON.stringify(job.error));
      assert.ok(job.metrics.rocAuc > (type === 'lstm' ? 0.55 : 0.7), `rocAuc ${job.metrics.rocAuc}`);
      const version = (await api.get(`/v1/models/${job.modelVersion.name}/versions/${job.modelVersion.version}`)).body;
      assert.equal(version.lineage.engine, ENGINES[type]);
      assert.deepEqual(version.lineage.params, PARAMS[type]);
      assert.deepEqual(version.lineage.effectiveParams, job.effectiveParams);
      assert.equal(Object.keys(job.effectiveParams).length >= Object.keys(PARAMS[type]).length + 2, true, JSON.stringify(job.effectiveParams));
      if (type === 'mlp') assert.deepEqual([job.effectiveParams.hiddenLayers, job.effectiveParams.learningRate, job.effectiveParams.earlyStoppingRounds], [[16], 0.001, 10]);
      if (type === 'lightgbm') assert.ok(Number.isInteger(job.effectiveParams.nthread) && job.effectiveParams.nthread >= 1, 'the thread count is recorded');
      if (type === 'ensemble') assert.deepEqual(job.effectiveParams.members.map((m: any) => [m.type, m.params.numRounds ?? m.params.maxIterations]), [['xgboost', 20], ['linear', 100]]);
      const record = { tenure: 3, plan: 'basic', monthly_charges: null, support_tickets: 4, auto_renew: false, signup_date: '2025-01-10', region: 'mars' };
      const predicted = await api.post(`/v1/models/${job.modelVersion.name}/predict`, { records: [record] });
      assert.equal(predicted.status, 200, JSON.stringify(predicted.body));
      const p = predicted.body.predictions[0];
      assert.ok(Math.abs(p.probabilities['0'] + p.probabilities['1'] - 1) < 1e-5);
    });
  }

  it('refuses unknown column names at submit, naming each field and the closest columns', async () => {
    const ds = await api.uploadDataset('small', binaryCsv(100));
    const created = await api.post('/v1/training-jobs', {
      datasetId: ds.body.id,
      experiment: 'column-check',
      target: 'lable',
      features: ['age', 'incme'],
      exclude: ['idd'],
      validation: { method: 'time_series', timeColumn: 'sigup' },
      preprocessing: { timeFeatures: { columns: ['agee'], lags: [1] } },
      model: { type: 'xgboost' },
    });
    assert.equal(created.status, 400, JSON.stringify(created.body));
    assert.equal(created.body.error.code, 'VALIDATION_FAILED');
    const fields = created.body.error.details.fields as { field: string; message: string; closest: string[] }[];
    assert.deepEqual(fields.map((f) => f.field), ['target', 'features[1]', 'exclude[0]', 'validation.timeColumn', 'preprocessing.timeFeatures.columns[0]']);
    assert.deepEqual(fields.map((f) => f.closest[0]), ['label', 'income', 'id', 'signup', 'age']);
    assert.match(fields[0].message, /closest: label/);
    assert.equal((await api.get('/v1/training-jobs?experiment=column-check')).body.total, 0, 'nothing was accepted');
  });

  it('refuses a target the task cannot learn, at submit, saying why', async () => {
    const houses = await api.uploadDataset('target-check', regressionCsv(200, 8));
    const submit = (body: Record<string, unknown>) => api.post('/v1/training-jobs', { datasetId: houses.body.id, experiment: 'target-check', model: { type: 'xgboost', params: { numRounds: 3 } }, ...body });
    const continuous = await submit({ target: 'price', task: 'classification' });
    assert.equal(continuous.status, 400, JSON.stringify(continuous.body));
    assert.deepEqual(continuous.body.error.details.fields.map((f: any) => f.field), ['target']);
    assert.match(continuous.body.error.message, /continuous numbers/);
    const text = await submit({ target: 'city', task: 'regression' });
    assert.equal(text.status, 400, JSON.stringify(text.body));
    assert.match(text.body.error.message, /numeric target/);

    // With the upload's distinct counts (here written into the row as the inspection records them), an integer
    // column of 214 values is no set of classes; 6 room counts are.
    await sql(stack.db.url, `update datasets set columns = (select jsonb_agg(case c->>'name' when 'rooms' then c || '{"distinct": 214}' else c end) from jsonb_array_elements(columns) c) where id = $1`, [houses.body.id]);
    const many = await submit({ target: 'rooms', task: 'classification' });
    assert.equal(many.status, 400, JSON.stringify(many.body));
    assert.match(many.body.error.message, /at most 100 classes/);
    await sql(stack.db.url, `update datasets set columns = (select jsonb_agg(case c->>'name' when 'rooms' then c || '{"distinct": 6}' else c end) from jsonb_array_elements(columns) c) where id = $1`, [houses.body.id]);
    assert.equal((await submit({ target: 'rooms', task: 'classification' })).status, 201);
    assert.equal((await submit({ target: 'price', task: 'regression' })).status, 201);
    assert.equal((await submit({ target: 'city', task: 'classification' })).status, 201);
    assert.equal((await api.get('/v1/training-jobs?experiment=target-check')).body.total, 3, 'only the three sound jobs were accepted');
  });

  it('fails with INSUFFICIENT_DATA when too few rows remain', async () => {
    const ds = await api.uploadDataset('tiny', binaryCsv(6));
    const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost' } });
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'INSUFFICIENT_DATA');
  });

  it('cross-validates k folds as parallel activities and records mean and spread', async () => {
    const ds = await api.uploadDataset('cv', binaryCsv(300, 21));
    const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', exclude: ['id'], validation: { method: 'kfold', folds: 3 }, model: { type: 'xgboost', params: { numRounds: 15 } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.equal(job.cvMetrics.folds, 3);
    assert.equal(job.cvMetrics.perFold.length, 3);
    assert.ok(job.cvMetrics.mean.rocAuc > 0.6, JSON.stringify(job.cvMetrics.mean));
    assert.ok(job.cvMetrics.std.rocAuc >= 0);
    const folds = job.cvMetrics.perFold.map((f: any) => f.accuracy);
    assert.ok(Math.abs(folds.reduce((a: number, b: number) => a + b, 0) / 3 - job.cvMetrics.mean.accuracy) < 1e-9);
    assert.ok(job.metrics.rocAuc > 0.6, 'the final model is still scored on the test split');
  });

  it('splits time series by the time column: the test rows are the newest', async () => {
    const ds = await api.uploadDataset('series', binaryCsv(300, 22));
    const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', exclude: ['id'], validation: { method: 'time_series', timeColumn: 'signup' }, model: { type: 'xgboost', params: { numRounds: 10 } } });
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    const missing = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', validation: { method: 'time_series' }, model: { type: 'xgboost' } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.details.fields[0].field, 'validation.timeColumn');
  });

  it('keeps a date column and nulls from breaking training', async () => {
    const ds = await api.uploadDataset('dated', binaryCsv(300, 9));
    const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 20 } } });
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    const version = job.modelVersion;
    assert.equal(version.version, 1);
  });
});
