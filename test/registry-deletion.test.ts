import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FileObjectStore } from '@trainyard/storage';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { sql } from './support/sql';
import { startTestStack, type TestStack } from './support/test-stack';

/** Removing what was trained on: model versions, whole models, datasets; archiving what lineage still needs. */
describe('deleting model versions, models and datasets; archiving datasets', () => {
  let stack: TestStack;
  let trainer: ApiClient;
  let viewer: ApiClient;
  let store: FileObjectStore;

  const train = async (body: Record<string, unknown>) => {
    const created = await trainer.post('/v1/training-jobs', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const done = await trainer.waitForJob(created.body.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    return done;
  };
  /** The store keys of a version's ONNX file, plan and engine model, from its row. */
  const objectsOf = async (name: string, version: number) => {
    const [row] = await sql<{ artifact: string; plan: string; engine: string }>(
      stack.db.url,
      `select artifact->>'key' as artifact, plan->>'key' as plan, engine_model->>'key' as engine from model_versions where name = $1 and version = $2`,
      [name, version],
    );
    return [row.artifact, row.plan, row.engine];
  };
  const stored = (key: string) => existsSync(store.localPath(key));

  before(async () => {
    stack = await startTestStack();
    store = new FileObjectStore(fileURLToPath(stack.config.storageUrl));
    const admin = new ApiClient(stack.url, stack.adminToken);
    trainer = admin.as((await admin.post('/v1/tokens', { name: 'ml-eng', role: 'trainer' })).body.token);
    viewer = admin.as((await admin.post('/v1/tokens', { name: 'dash', role: 'viewer' })).body.token);
  });
  after(() => stack?.stop());

  it('deletes a version only when no alias points at it, and its objects only when no other version shares them', async () => {
    const ds = await trainer.uploadDataset('disposable-data', binaryCsv(150, 61));
    const body = { name: 'disposable', datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 4, nthread: 1 } } };
    await train(body);
    await train(body);
    await train({ ...body, model: { type: 'xgboost', params: { numRounds: 7, nthread: 1 } } });
    const [v1, v2, v3] = await Promise.all([1, 2, 3].map(async (v) => (await viewer.get(`/v1/models/disposable/versions/${v}`)).body));
    assert.equal(v1.sha256, v2.sha256, 'the same request on the same data trains the same model, stored once');
    assert.notEqual(v1.sha256, v3.sha256);
    const [shared, sharedPlan, sharedEngine] = await objectsOf('disposable', 1);
    const [own, ownPlan, ownEngine] = await objectsOf('disposable', 3);
    assert.ok([shared, sharedPlan, sharedEngine, own, ownPlan, ownEngine].every(stored));

    assert.equal((await trainer.request('PUT', '/v1/models/disposable/aliases/production', { version: 2 })).status, 200);
    const held = await trainer.delete('/v1/models/disposable/versions/2');
    assert.equal(held.status, 409, JSON.stringify(held.body));
    assert.equal(held.body.error.code, 'MODEL_VERSION_IN_USE');
    assert.deepEqual(held.body.error.details.aliases, [{ alias: 'production', version: 2 }]);
    assert.equal((await viewer.delete('/v1/models/disposable/versions/1')).status, 403);

    assert.equal((await trainer.delete('/v1/models/disposable/versions/1')).status, 204);
    assert.equal((await viewer.get('/v1/models/disposable/versions/1')).body.error.code, 'MODEL_NOT_FOUND');
    assert.equal((await trainer.delete('/v1/models/disposable/versions/1')).status, 404);
    assert.ok(stored(shared) && stored(sharedPlan) && stored(sharedEngine), 'v2 still serves from the objects v1 shared');
    const records = [{ id: 'x', age: 40, income: 50000, plan: 'pro', signup: '2024-03-02', active: true }];
    const served = await viewer.post('/v1/models/disposable/predict', { records });
    assert.equal(served.status, 200, JSON.stringify(served.body));
    assert.equal(served.body.model.version, 2);

    assert.equal((await trainer.delete('/v1/models/disposable/versions/3')).status, 204);
    assert.ok(!stored(own) && !stored(ownPlan) && !stored(ownEngine), "v3's ONNX file, plan and engine model are gone from the store");
    assert.deepEqual((await viewer.get('/v1/models/disposable/versions')).body.items.map((v: any) => v.version), [2]);
    assert.equal((await viewer.get('/v1/models/disposable/versions/latest')).body.version, 2);
  });

  it('deletes a whole model once no alias is set, and then its dataset', async () => {
    const [shared, sharedPlan, sharedEngine] = await objectsOf('disposable', 2);
    const refused = await trainer.delete('/v1/models/disposable');
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'MODEL_VERSION_IN_USE');
    const datasetId = (await viewer.get('/v1/models/disposable/versions/2')).body.lineage.datasetId;
    assert.equal((await trainer.delete(`/v1/datasets/${datasetId}`)).body.error.code, 'DATASET_IN_USE', "v2's lineage needs the dataset");

    assert.equal((await trainer.delete('/v1/models/disposable/aliases/production')).status, 204);
    assert.equal((await trainer.delete('/v1/models/disposable')).status, 204);
    assert.equal((await viewer.get('/v1/models/disposable')).body.error.code, 'MODEL_NOT_FOUND');
    assert.equal((await trainer.delete('/v1/models/disposable')).status, 404);
    assert.ok(!stored(shared) && !stored(sharedPlan) && !stored(sharedEngine), 'the last version took its objects with it');
    assert.equal((await viewer.get('/v1/models/disposable/alias-events')).status, 404);
    const audit = await sql(stack.db.url, `select count(*)::int as n from model_alias_events where model_name = 'disposable'`);
    assert.equal(audit[0].n, 2, 'the audit trail of the alias stays in the database');

    assert.equal((await trainer.delete(`/v1/datasets/${datasetId}`)).status, 204, 'nothing needs the dataset any more');
  });

  it('archives a dataset: hidden from lists, refused by new jobs, kept for lineage, and brought back', async () => {
    const ds = await trainer.uploadDataset('archived-data', binaryCsv(150, 62));
    const done = await train({ name: 'kept', datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 3 } } });
    assert.equal((await trainer.delete(`/v1/datasets/${ds.body.id}`)).body.error.code, 'DATASET_IN_USE');

    const archived = await trainer.post(`/v1/datasets/${ds.body.id}/archive`);
    assert.equal(archived.status, 200, JSON.stringify(archived.body));
    assert.equal(archived.body.archived, true);
    assert.ok(archived.body.archivedAt);
    assert.equal((await viewer.post(`/v1/datasets/${ds.body.id}/archive`)).status, 403);
    const listed = async (query: string) => (await viewer.get(`/v1/datasets${query}`)).body.items.map((d: any) => d.id);
    assert.ok(!(await listed('')).includes(ds.body.id));
    assert.ok(!(await listed('?name=archived-data')).includes(ds.body.id));
    assert.ok((await listed('?archived=true')).includes(ds.body.id));
    assert.equal((await viewer.get('/v1/datasets?archived=maybe')).status, 400);
    assert.equal((await viewer.get(`/v1/datasets/${ds.body.id}`)).body.archived, true, 'still readable by id');
    assert.equal((await viewer.get(`/v1/models/kept/versions/${done.modelVersion.version}`)).body.lineage.datasetId, ds.body.id);

    const refused = await trainer.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost' } });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.deepEqual(refused.body.error.details.fields.map((f: any) => f.field), ['datasetId']);
    assert.match(refused.body.error.message, /archived/);

    const back = await trainer.post(`/v1/datasets/${ds.body.id}/unarchive`);
    assert.equal(back.body.archived, false);
    assert.ok((await listed('')).includes(ds.body.id));
    const accepted = await trainer.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 2 } } });
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    await trainer.waitForJob(accepted.body.id);
  });

  it('refuses to delete a dataset that a queued or running job reads', async () => {
    const ds = await trainer.uploadDataset('busy-data', binaryCsv(3000, 63));
    const job = await trainer.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 3000, maxDepth: 8 } } });
    assert.equal(job.status, 201, JSON.stringify(job.body));
    const busy = await trainer.delete(`/v1/datasets/${ds.body.id}`);
    assert.equal(busy.status, 409, JSON.stringify(busy.body));
    assert.deepEqual(busy.body.error.details.jobs, [job.body.id]);
    await trainer.post(`/v1/training-jobs/${job.body.id}/cancel`);
    await trainer.waitForJob(job.body.id);
    assert.equal((await trainer.delete(`/v1/datasets/${ds.body.id}`)).status, 204);
  });
});
