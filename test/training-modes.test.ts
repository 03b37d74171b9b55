import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { multiclassCsv, regressionCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { compareIncremental, rowsCsv, steadyBinaryRows } from './support/incremental';
import { sql } from './support/sql';
import { startTestStack, type TestStack } from './support/test-stack';

async function completed(api: ApiClient, body: Record<string, unknown>): Promise<any> {
  const created = await api.post('/v1/training-jobs', body);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const job = await api.waitForJob(created.body.id, undefined, 300_000);
  assert.equal(job.status, 'completed', JSON.stringify(job.error));
  return job;
}

async function version(api: ApiClient, ref: { name: string; version: number }): Promise<any> {
  const res = await api.get(`/v1/models/${ref.name}/versions/${ref.version}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

describe('training modes: incremental, transfer and ensemble_update runs on a registered parent (real Temporal, PostgreSQL, S3)', () => {
  let stack: TestStack;
  let api: ApiClient;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
  });
  after(() => stack?.stop());

  it('incremental XGBoost on new rows reaches the full retrain’s quality with fewer rounds', async () => {
    const figures = await compareIncremental(api, {
      name: 'steady',
      oldRows: 3000,
      newRows: 3000,
      holdoutRows: 3000,
      params: { maxDepth: 4, learningRate: 0.1 },
      parentRounds: 120,
      incrementalRounds: 30,
      fullRounds: 120,
    });
    console.log(`incremental vs full retrain: ${JSON.stringify(figures.rounds)} rounds; holdout AUC ${JSON.stringify(figures.holdoutAuc)}; job seconds ${JSON.stringify(figures.seconds)}`);
    assert.deepEqual(figures.rounds, { parent: 120, incremental: 30, fullRetrain: 120 });
    assert.ok(figures.holdoutAuc.incremental >= figures.holdoutAuc.fullRetrain - 0.01, `incremental ${figures.holdoutAuc.incremental} vs full ${figures.holdoutAuc.fullRetrain}`);
    assert.ok(figures.holdoutAuc.incremental > figures.holdoutAuc.parent, `the new rows improve on the parent: ${JSON.stringify(figures.holdoutAuc)}`);
    const { lineage } = figures.incrementalVersion;
    assert.equal(lineage.mode, 'incremental');
    assert.deepEqual(lineage.parent, { name: 'steady', version: 1 });
    assert.equal(figures.incrementalVersion.version, 2);
  });

  it('continues the parent’s rounds: the metric series picks up after them, and LightGBM does the same', async () => {
    const rows = steadyBinaryRows(800, 21);
    const first = await api.uploadDataset('lgb-first', rowsCsv(rows.slice(0, 400)));
    const second = await api.uploadDataset('lgb-second', rowsCsv(rows.slice(400)));
    const parent = await completed(api, { name: 'lgb', datasetId: first.body.id, target: 'label', model: { type: 'lightgbm', params: { numRounds: 20 } } });
    const child = await completed(api, {
      name: 'lgb',
      datasetId: second.body.id,
      target: 'label',
      model: { type: 'lightgbm', params: { numRounds: 10 } },
      mode: 'incremental',
      from: { model: 'lgb', alias: 'latest' },
    });
    assert.equal(child.mode, 'incremental');
    assert.deepEqual(child.from, { model: 'lgb', alias: 'latest' });
    const steps = (await api.get(`/v1/training-jobs/${child.id}/metrics`)).body.series['train.logLoss'].map((p: { step: number }) => p.step);
    assert.deepEqual(steps, Array.from({ length: 10 }, (_, i) => 21 + i), 'rounds 21..30 on top of the parent’s 20');
    const v = await version(api, child.modelVersion);
    assert.deepEqual(v.lineage.parent, parent.modelVersion);
    assert.deepEqual(v.signature.inputs, (await version(api, parent.modelVersion)).signature.inputs, 'the parent’s inputs, from its plan');
  });

  it('refuses a new class at preprocessing: the parent’s trees know only its own', async () => {
    const parentData = await api.uploadDataset('species-parent', multiclassCsv(300, 2).replace(/,virginica\n/g, ',versicolor\n'));
    const parent = await completed(api, { name: 'species', datasetId: parentData.body.id, target: 'species', model: { type: 'xgboost', params: { numRounds: 10 } } });
    const newData = await api.uploadDataset('species-new', multiclassCsv(300, 3));
    const created = await api.post('/v1/training-jobs', { name: 'species', datasetId: newData.body.id, target: 'species', model: { type: 'xgboost', params: { numRounds: 5 } }, mode: 'incremental', from: { model: 'species', version: parent.modelVersion.version } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const failed = await api.waitForJob(created.body.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error.code, 'INVALID_HYPERPARAMETERS');
    assert.match(failed.error.message, /virginica/);
  });

  it('transfers an MLP to new data with new classes, freezing its first layer', async () => {
    const parentData = await api.uploadDataset('mlp-parent', multiclassCsv(450, 4));
    const parent = await completed(api, { name: 'mlp-base', datasetId: parentData.body.id, target: 'species', model: { type: 'mlp', params: { hiddenLayers: [16, 8], epochs: 40, batchSize: 32, learningRate: 0.01 } } });
    // The same inputs, another question: two new classes, so the output layer is new.
    const relabelled = multiclassCsv(300, 5)
      .replace(/,setosa\n/g, ',small\n')
      .replace(/,(versicolor|virginica)\n/g, ',large\n');
    const newData = await api.uploadDataset('mlp-new', relabelled);
    const child = await completed(api, {
      name: 'mlp-transfer',
      datasetId: newData.body.id,
      target: 'species',
      model: { type: 'mlp', params: { epochs: 40, batchSize: 32, learningRate: 0.01 } },
      mode: 'transfer',
      from: { model: 'mlp-base', version: parent.modelVersion.version },
      freezeLayers: 1,
    });
    assert.equal(child.freezeLayers, 1);
    assert.ok(child.metrics.accuracy > 0.8, `accuracy ${child.metrics.accuracy}`);
    const v = await version(api, child.modelVersion);
    assert.deepEqual(v.signature.classLabels, ['large', 'small']);
    assert.equal(v.lineage.mode, 'transfer');
    const predicted = await api.post('/v1/models/mlp-transfer/predict', { records: [{ x1: 0.5, x2: 2, color: 'red' }] });
    assert.equal(predicted.status, 200, JSON.stringify(predicted.body));
    assert.deepEqual(Object.keys(predicted.body.predictions[0].probabilities).sort(), ['large', 'small']);
  });

  it('adds a member trained on new data to the parent ensemble', async () => {
    const rows = steadyBinaryRows(900, 31);
    const first = await api.uploadDataset('ens-first', rowsCsv(rows.slice(0, 450)));
    const second = await api.uploadDataset('ens-second', rowsCsv(rows.slice(450)));
    const members = [{ type: 'xgboost', params: { numRounds: 15 } }, { type: 'lightgbm', params: { numRounds: 15 } }];
    const parent = await completed(api, { name: 'ens', datasetId: first.body.id, target: 'label', model: { type: 'ensemble', params: { members } } });
    const child = await completed(api, {
      name: 'ens',
      datasetId: second.body.id,
      target: 'label',
      model: { type: 'ensemble', params: { members: [{ type: 'lightgbm', params: { numRounds: 25, numLeaves: 8 } }] } },
      mode: 'ensemble_update',
      from: { model: 'ens', version: parent.modelVersion.version },
    });
    const v = await version(api, child.modelVersion);
    assert.deepEqual(
      (v.lineage.params.members as { type: string }[]).map((m) => m.type),
      ['xgboost', 'lightgbm', 'lightgbm'],
      'the parent’s members, then the new one',
    );
    assert.ok(child.metrics.rocAuc > 0.7, `rocAuc ${child.metrics.rocAuc}`);
  });

  it('checks the parent at submit: it must exist, be of the family, keep the target, and its columns must be in the data', async () => {
    const data = await api.uploadDataset('houses-modes', regressionCsv(200, 8));
    const parent = await completed(api, { name: 'houses', datasetId: data.body.id, target: 'price', model: { type: 'xgboost', params: { numRounds: 10 } } });
    const submit = (extra: Record<string, unknown>, model: unknown = { type: 'xgboost' }) => api.post('/v1/training-jobs', { datasetId: data.body.id, target: 'price', model, ...extra });
    const missing = await submit({ mode: 'incremental', from: { model: 'houses', version: 9 } });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'MODEL_NOT_FOUND');
    const noAlias = await submit({ mode: 'incremental', from: { model: 'houses', alias: 'production' } });
    assert.equal(noAlias.body.error.code, 'MODEL_NOT_FOUND');

    const fields = async (res: Promise<{ status: number; body: any }>) => {
      const { status, body } = await res;
      assert.equal(status, 400, JSON.stringify(body));
      return body.error.details.fields.map((f: { field: string }) => f.field).sort();
    };
    const from = { model: 'houses', version: parent.modelVersion.version };
    assert.deepEqual(await fields(submit({ mode: 'incremental', from }, { type: 'lightgbm' })), ['model.type']);
    assert.deepEqual(await fields(submit({ mode: 'incremental', from, target: 'rooms' })), ['target']);
    assert.deepEqual(await fields(submit({ mode: 'transfer', from }, { type: 'mlp' })), ['model.type']);
    const fewer = await api.uploadDataset('houses-no-city', regressionCsv(50, 9).replace(/,(north|south|east),/g, ',').replace('rooms,area,city,price', 'rooms,area,price'));
    const noCity = await api.post('/v1/training-jobs', { datasetId: fewer.body.id, target: 'price', model: { type: 'xgboost' }, mode: 'incremental', from });
    assert.equal(noCity.status, 400, JSON.stringify(noCity.body));
    assert.match(noCity.body.error.message, /city/);
    // A version registered before engine models were kept has nothing to continue from.
    await sql(stack.db.url, `update model_versions set engine_model = null where name = 'houses'`);
    assert.deepEqual(await fields(submit({ mode: 'incremental', from })), ['from']);
    const study = await api.post('/v1/studies', { name: 'no-modes', job: { datasetId: data.body.id, target: 'price', model: { type: 'xgboost' }, mode: 'incremental', from }, searchSpace: { maxDepth: { type: 'int', low: 2, high: 4 } }, objective: { metric: 'rmse' } });
    assert.equal(study.status, 400);
    assert.deepEqual(study.body.error.details.fields.map((f: { field: string }) => f.field), ['job.mode']);
  });
});
