import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as ort from 'onnxruntime-node';
import { applyPlanToRecords, modelFamily } from '@trainyard/ml';
import { FileObjectStore, objectKeys } from '@trainyard/storage';
import { sql } from './support/sql';
import { ApiClient } from './support/http';
import { binaryCsv } from './support/datasets';
import { startTestStack, type TestStack } from './support/test-stack';

describe('model registry: versions, artifacts, aliases with an audit trail', () => {
  let stack: TestStack;
  let trainer: ApiClient;
  let viewer: ApiClient;

  before(async () => {
    // The job's objects are kept, so the test can hold the served model to the engine's own file.
    stack = await startTestStack({ config: { keepJobObjects: true } });
    const admin = new ApiClient(stack.url, stack.adminToken);
    trainer = admin.as((await admin.post('/v1/tokens', { name: 'ml-eng', role: 'trainer' })).body.token);
    viewer = admin.as((await admin.post('/v1/tokens', { name: 'dash', role: 'viewer' })).body.token);
    const ds = await trainer.uploadDataset('reg', binaryCsv(200, 31));
    // v1 runs fused (in one activity), v2 staged (one activity per step, its model file in the store).
    for (const [numRounds, pipeline] of [[5, 'fused'], [10, 'staged']] as const) {
      const job = await trainer.post('/v1/training-jobs', { name: 'churn', datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds } }, execution: { pipeline } });
      const done = await trainer.waitForJob(job.body.id);
      assert.equal(done.status, 'completed', JSON.stringify(done.error));
    }
  });
  after(() => stack?.stop());

  it('lists models and their versions with signature, lineage and importance', async () => {
    const models = await viewer.get('/v1/models');
    assert.equal(models.status, 200);
    const churn = models.body.items.find((m: any) => m.name === 'churn');
    assert.equal(churn.latestVersion, 2);
    assert.equal(churn.task, 'classification');
    assert.deepEqual(churn.aliases, {});
    const versions = await viewer.get('/v1/models/churn/versions');
    assert.deepEqual(versions.body.items.map((v: any) => v.version), [2, 1]);
    const v1 = await viewer.get('/v1/models/churn/versions/1');
    assert.equal(v1.status, 200);
    for (const key of ['jobId', 'modelType', 'task', 'metrics', 'signature', 'featureImportance', 'lineage', 'sizeBytes', 'sha256', 'aliases', 'createdAt']) assert.ok(key in v1.body, key);
    assert.equal(v1.body.lineage.params.numRounds, 5);
    // Both pipelines record the params as trained: v1 ran fused, v2 staged.
    assert.deepEqual([v1.body.lineage.effectiveParams.numRounds, v1.body.lineage.effectiveParams.maxDepth], [5, 6]);
    const v2 = (await viewer.get('/v1/models/churn/versions/2')).body;
    assert.deepEqual([v2.lineage.effectiveParams.numRounds, v2.lineage.effectiveParams.learningRate], [10, 0.3]);
    assert.match(v1.body.lineage.datasetSha256, /^[0-9a-f]{64}$/);
    assert.equal(v1.body.lineage.engine, 'xgboost');
    assert.ok(v1.body.featureImportance.length > 0);
    assert.equal((await viewer.get('/v1/models/nope')).body.error.code, 'MODEL_NOT_FOUND');
    assert.equal((await viewer.get('/v1/models/churn/versions/9')).status, 404);
  });

  it('serves the ONNX artifact, gzip on the wire, matching its sha256 and loadable by onnxruntime', async () => {
    const meta = (await viewer.get('/v1/models/churn/versions/2')).body;
    const plain = await fetch(`${stack.url}/v1/models/churn/versions/2/artifact`, { headers: { authorization: `Bearer ${viewer.token}`, 'accept-encoding': 'identity' } });
    const bytes = Buffer.from(await plain.arrayBuffer());
    assert.equal(createHash('sha256').update(bytes).digest('hex'), meta.sha256);
    assert.equal(plain.headers.get('x-content-sha256'), meta.sha256);
    const { request } = await import('node:http');
    const zipped = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      const url = new URL(`${stack.url}/v1/models/churn/versions/2/artifact`);
      request({ host: url.hostname, port: url.port, path: url.pathname, headers: { authorization: `Bearer ${viewer.token}`, 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
      }).on('error', reject).end();
    });
    assert.equal(zipped.encoding, 'gzip');
    assert.ok(zipped.body.length < bytes.length);
    assert.deepEqual(gunzipSync(zipped.body), bytes);
    const session = await ort.InferenceSession.create(bytes);
    assert.ok(session.outputNames.includes('probabilities'));
  });

  it('moves aliases, records who moved them, and refuses viewers', async () => {
    const put = await trainer.request('PUT', '/v1/models/churn/aliases/production', { version: 1 });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.previousVersion, null);
    const moved = await trainer.request('PUT', '/v1/models/churn/aliases/production', { version: 2 });
    assert.equal(moved.body.previousVersion, 1);
    assert.deepEqual((await viewer.get('/v1/models/churn')).body.aliases, { production: 2 });
    assert.deepEqual((await viewer.get('/v1/models/churn/versions/2')).body.aliases, ['production']);
    assert.equal((await viewer.request('PUT', '/v1/models/churn/aliases/production', { version: 1 })).status, 403);
    assert.equal((await trainer.request('PUT', '/v1/models/churn/aliases/production', { version: 7 })).body.error.code, 'MODEL_NOT_FOUND');
    assert.equal((await trainer.request('PUT', '/v1/models/churn/aliases/Bad Alias', { version: 1 })).body.error.code, 'VALIDATION_FAILED');
    assert.equal((await trainer.delete('/v1/models/churn/aliases/production')).status, 204);
    assert.equal((await trainer.delete('/v1/models/churn/aliases/production')).status, 404);
    const events = (await viewer.get('/v1/models/churn/alias-events')).body.items;
    assert.deepEqual(
      events.map((e: any) => [e.alias, e.fromVersion, e.toVersion, e.actor]),
      [
        ['production', 2, null, 'ml-eng'],
        ['production', 1, 2, 'ml-eng'],
        ['production', null, 1, 'ml-eng'],
      ],
    );
  });

  it('reserves the alias latest: it cannot be set, and it names the newest version', async () => {
    const put = await trainer.request('PUT', '/v1/models/churn/aliases/latest', { version: 1 });
    assert.equal(put.status, 400, JSON.stringify(put.body));
    assert.deepEqual(put.body.error.details.fields.map((f: any) => f.field), ['alias']);
    assert.match(put.body.error.message, /reserved/);
    assert.deepEqual((await viewer.get('/v1/models/churn')).body.aliases, {}, 'nothing was set');

    const latest = await viewer.get('/v1/models/churn/versions/latest');
    assert.equal(latest.status, 200, JSON.stringify(latest.body));
    assert.equal(latest.body.version, 2);
    const artifact = await fetch(`${stack.url}/v1/models/churn/versions/latest/artifact`, { headers: { authorization: `Bearer ${viewer.token}`, 'accept-encoding': 'identity' } });
    assert.equal(createHash('sha256').update(Buffer.from(await artifact.arrayBuffer())).digest('hex'), latest.body.sha256);
    assert.equal((await viewer.get('/v1/models/nope/versions/latest')).body.error.code, 'MODEL_NOT_FOUND');

    // production names v1, yet "latest" still names the newest.
    await trainer.request('PUT', '/v1/models/churn/aliases/production', { version: 1 });
    const records = [{ id: 'x1', age: 30, income: 52000.5, plan: 'pro', signup: '2024-03-05', active: true }];
    assert.equal((await viewer.post('/v1/models/churn/predict', { records })).body.model.version, 1);
    assert.equal((await viewer.post('/v1/models/churn/predict', { alias: 'latest', records })).body.model.version, 2);
    await trainer.delete('/v1/models/churn/aliases/production');

    // Nothing else may claim the name either: a study's register.alias, a schedule's promote.alias.
    const datasetId = latest.body.lineage.datasetId;
    const job = { datasetId, target: 'label', model: { type: 'xgboost', params: { numRounds: 3 } } };
    const study = await trainer.post('/v1/studies', { name: 'latest-study', job, searchSpace: { maxDepth: { type: 'int', low: 2, high: 3 } }, objective: { metric: 'accuracy' }, trials: 1, register: { topK: 1, alias: 'latest' } });
    assert.equal(study.status, 400, JSON.stringify(study.body));
    assert.deepEqual(study.body.error.details.fields.map((f: any) => f.field), ['register.alias']);
    const schedule = await trainer.post('/v1/schedules', { name: 'latest-schedule', cron: '0 3 * * *', job, promote: { alias: 'latest', metric: 'accuracy' } });
    assert.equal(schedule.status, 400, JSON.stringify(schedule.body));
    assert.deepEqual(schedule.body.error.details.fields.map((f: any) => f.field), ['promote.alias']);
  });

  it('predicts from raw records exactly as the engine does, by version, alias or default', async () => {
    const records = [
      { id: 'x1', age: 30, income: 52000.5, plan: 'pro', signup: '2024-03-05', active: true },
      { id: 'x2', age: 61, income: null, plan: 'platinum', signup: '2024-03-20', active: false },
      { id: 'x3', age: 45, income: 31000, plan: null, signup: null, active: null },
    ];
    const res = await viewer.post('/v1/models/churn/predict', { version: 2, records });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.model, { name: 'churn', version: 2 });
    assert.equal(res.body.predictions.length, 3);

    const v2 = (await viewer.get('/v1/models/churn/versions/2')).body;
    const store = new FileObjectStore(fileURLToPath(stack.config.storageUrl));
    const plan = JSON.parse(await readFile(store.localPath(objectKeys.model(await tenantOf(stack), v2.sha256, 'plan.json')), 'utf8'));
    const model = await readFile(store.localPath(objectKeys.job(v2.jobId, 'model')));
    const data = applyPlanToRecords(plan, records);
    const engine = await modelFamily('xgboost').predict(model, { rows: 3, cols: plan.featureNames.length, data, labels: new Float32Array(3) }, 2);
    res.body.predictions.forEach((p: any, i: number) => {
      assert.ok(Math.abs(p.probabilities['1'] - engine[2 * i + 1]) < 1e-5, `row ${i}: api ${p.probabilities['1']} vs engine ${engine[2 * i + 1]}`);
      assert.equal(p.label, engine[2 * i + 1] > 0.5 ? '1' : '0');
    });

    // The API caches what an alias names; moving the alias must show on the very next prediction.
    assert.equal((await viewer.post('/v1/models/churn/predict', { records })).body.model.version, 2, 'latest while no production alias');
    await trainer.request('PUT', '/v1/models/churn/aliases/production', { version: 1 });
    assert.equal((await viewer.post('/v1/models/churn/predict', { records })).body.model.version, 1, 'production by default');
    await trainer.delete('/v1/models/churn/aliases/production');
    assert.equal((await viewer.post('/v1/models/churn/predict', { records })).body.model.version, 2, 'latest without production');
    assert.equal((await viewer.post('/v1/models/churn/predict', { alias: 'staging', records })).body.error.code, 'MODEL_NOT_FOUND');
    assert.equal((await viewer.post('/v1/models/nope/predict', { records })).body.error.code, 'MODEL_NOT_FOUND');
  });

  it('refuses records with missing columns or wrong types, naming record and field', async () => {
    const bad = await viewer.post('/v1/models/churn/predict', {
      records: [
        { id: 'a', age: 30, income: 1, plan: 'pro', signup: '2024-03-05', active: true },
        { id: 'b', age: 'thirty', income: 1, plan: 'pro', signup: 'not a date', active: 'yes' },
        { id: 'c', income: 1, plan: 'pro', signup: '2024-03-05', active: true },
      ],
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
    const fields = bad.body.error.details.fields.map((f: any) => f.field).sort();
    assert.deepEqual(fields, ['records[1].active', 'records[1].age', 'records[1].signup', 'records[2].age']);
    assert.equal((await viewer.post('/v1/models/churn/predict', { records: [] })).status, 400);
  });

  it('streams batch predictions for an uploaded file or a dataset, matching online predictions', async () => {
    const csv = binaryCsv(40, 77);
    const form = new FormData();
    form.set('file', new Blob([csv]), 'score-me.csv');
    form.set('version', '2');
    const uploaded = await fetch(`${stack.url}/v1/models/churn/batch-predict`, { method: 'POST', headers: { authorization: `Bearer ${viewer.token}` }, body: form });
    assert.equal(uploaded.status, 200, await uploaded.clone().text());
    assert.match(uploaded.headers.get('content-type') ?? '', /text\/csv/);
    const lines = (await uploaded.text()).trim().split('\n');
    assert.deepEqual(lines[0].split(','), ['row', 'label', 'p_0', 'p_1']);
    assert.equal(lines.length, 41);

    const header = csv.split('\n')[0].split(',');
    const first = Object.fromEntries(header.map((h, i) => [h, csv.split('\n')[1].split(',')[i]]));
    const typed = { ...first, age: Number(first.age), income: first.income === '' ? null : Number(first.income), active: first.active === 'true' };
    const online = (await viewer.post('/v1/models/churn/predict', { version: 2, records: [typed] })).body.predictions[0];
    const [, label, , p1] = lines[1].split(',');
    assert.equal(label, online.label);
    assert.ok(Math.abs(Number(p1) - online.probabilities['1']) < 1e-6);

    const ds = (await trainer.uploadDataset('to-score', csv)).body;
    const byDataset = await viewer.post('/v1/models/churn/batch-predict', { datasetId: ds.id, version: 2 });
    assert.equal(byDataset.status, 200);
    assert.equal(String(byDataset.body).trim().split('\n').length, 41);
    const noColumns = await trainer.uploadDataset('wrong-columns', 'a,b\n1,2\n3,4\n');
    const refused = await viewer.post('/v1/models/churn/batch-predict', { datasetId: noColumns.body.id });
    assert.equal(refused.status, 400);
    assert.ok(refused.body.error.details.fields.some((f: any) => f.field === 'file.age'));
  });

  it('labels and describes a version, from its job or later', async () => {
    const datasetId = (await viewer.get('/v1/models/churn/versions/1')).body.lineage.datasetId;
    const job = await trainer.post('/v1/training-jobs', { name: 'labelled', datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 3 } }, label: 'v3.0', description: 'the March retrain' });
    assert.equal(job.status, 201, JSON.stringify(job.body));
    assert.deepEqual([job.body.label, job.body.description], ['v3.0', 'the March retrain']);
    const done = await trainer.waitForJob(job.body.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    const version = (await viewer.get('/v1/models/labelled/versions/1')).body;
    assert.deepEqual([version.label, version.description], ['v3.0', 'the March retrain']);
    assert.deepEqual((await viewer.get('/v1/models/churn/versions/1')).body.label, null, 'a job without a label leaves the version without one');

    const relabelled = await trainer.request('PATCH', '/v1/models/labelled/versions/1', { label: 'v3.0.1' });
    assert.equal(relabelled.status, 200, JSON.stringify(relabelled.body));
    assert.deepEqual([relabelled.body.label, relabelled.body.description], ['v3.0.1', 'the March retrain'], 'a field left out stays');
    const cleared = await trainer.request('PATCH', '/v1/models/labelled/versions/1', { description: null });
    assert.deepEqual([cleared.body.label, cleared.body.description], ['v3.0.1', null]);
    assert.deepEqual((await viewer.get('/v1/models/labelled/versions')).body.items[0].label, 'v3.0.1');

    assert.equal((await trainer.request('PATCH', '/v1/models/labelled/versions/1', {})).status, 400);
    assert.deepEqual((await trainer.request('PATCH', '/v1/models/labelled/versions/1', { label: 'x'.repeat(101) })).body.error.details.fields.map((f: any) => f.field), ['label']);
    assert.equal((await trainer.request('PATCH', '/v1/models/labelled/versions/9', { label: 'v9' })).body.error.code, 'MODEL_NOT_FOUND');
    assert.equal((await viewer.request('PATCH', '/v1/models/labelled/versions/1', { label: 'mine' })).status, 403);
    const badJob = await trainer.post('/v1/training-jobs', { datasetId, target: 'label', model: { type: 'xgboost' }, label: '' });
    assert.deepEqual(badJob.body.error.details.fields.map((f: any) => f.field), ['label']);
  });

  it('hides another tenant’s models', async () => {
    const admin = new ApiClient(stack.url, stack.adminToken);
    const other = admin.as((await admin.post('/v1/tenants', { name: 'other' })).body.adminToken.token);
    assert.equal((await other.get('/v1/models')).body.total, 0);
    assert.equal((await other.get('/v1/models/churn/versions/1')).status, 404);
    assert.equal((await fetch(`${stack.url}/v1/models/churn/versions/1/artifact`, { headers: { authorization: `Bearer ${other.token}` } })).status, 404);
  });
});

async function tenantOf(stack: TestStack): Promise<string> {
  const rows = await sql<{ tenant_id: string }>(stack.db.url, `select tenant_id from model_versions where name = 'churn' and version = 2`);
  return rows[0].tenant_id;
}
