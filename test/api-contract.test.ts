import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './support/http';
import { binaryCsv } from './support/datasets';
import { startTestStack, type TestStack } from './support/test-stack';

function assertError(res: { status: number; body: any }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code, JSON.stringify(res.body));
  assert.equal(typeof res.body.error.message, 'string');
  assert.equal(typeof res.body.error.details, 'object');
}

describe('REST contract: auth, tenants, tokens, datasets, jobs', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let trainer: ApiClient;
  let viewer: ApiClient;

  before(async () => {
    stack = await startTestStack({ config: { maxUploadBytes: 64 * 1024, authFailureLimit: 15 } });
    admin = new ApiClient(stack.url, stack.adminToken);
    trainer = admin.as((await admin.post('/v1/tokens', { name: 'ci-trainer', role: 'trainer' })).body.token);
    viewer = admin.as((await admin.post('/v1/tokens', { name: 'dash', role: 'viewer' })).body.token);
  });
  after(() => stack?.stop());

  it('serves health and the OpenAPI document without a token', async () => {
    const health = await admin.as(null).get('/health');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok', checks: { database: 'ok', temporal: 'ok' } });
    const doc = await admin.as(null).get('/docs-json');
    assert.equal(doc.status, 200);
    assert.ok(doc.body.paths['/v1/training-jobs']);
  });

  it('answers unknown routes and bad JSON with the error envelope', async () => {
    assertError(await admin.get('/v1/nothing-here'), 404, 'NOT_FOUND');
    assertError(await admin.request('POST', '/v1/training-jobs', '{"broken', { 'content-type': 'application/json' }), 400, 'VALIDATION_FAILED');
  });

  it('rejects missing and wrong tokens, and enforces roles', async () => {
    assertError(await admin.as(null).get('/v1/datasets'), 401, 'UNAUTHENTICATED');
    assertError(await admin.as('ty_not-a-real-token').get('/v1/datasets'), 401, 'UNAUTHENTICATED');
    assertError(await viewer.post('/v1/training-jobs', {}), 403, 'FORBIDDEN');
    assertError(await trainer.post('/v1/tokens', { name: 'x', role: 'viewer' }), 403, 'FORBIDDEN');
    assertError(await viewer.uploadDataset('v', binaryCsv(20)), 403, 'FORBIDDEN');
    assert.equal((await viewer.get('/v1/training-jobs')).status, 200);
  });

  it('creates tokens whose secret is shown once and stored hashed, and revokes them at once', async () => {
    const created = await admin.post('/v1/tokens', { name: 'temp', role: 'viewer' });
    assert.equal(created.status, 201);
    for (const key of ['id', 'name', 'role', 'token', 'createdAt']) assert.ok(key in created.body, key);
    const list = await admin.get('/v1/tokens');
    assert.ok(list.body.items.some((t: any) => t.id === created.body.id));
    assert.ok(list.body.items.every((t: any) => !('token' in t) && !('tokenHash' in t)));
    const { Client } = await import('pg');
    const pg = new Client({ connectionString: stack.db.url });
    await pg.connect();
    const stored = await pg.query('select token_hash from api_tokens where id = $1', [created.body.id]);
    await pg.end();
    assert.notEqual(stored.rows[0].token_hash, created.body.token);
    assert.match(stored.rows[0].token_hash, /^[0-9a-f]{64}$/);

    const temp = admin.as(created.body.token);
    assert.equal((await temp.get('/v1/datasets')).status, 200);
    assert.equal((await admin.delete(`/v1/tokens/${created.body.id}`)).status, 204);
    assertError(await temp.get('/v1/datasets'), 401, 'UNAUTHENTICATED');
    assertError(await admin.delete(`/v1/tokens/${created.body.id}`), 404, 'TOKEN_NOT_FOUND');
    assertError(await admin.post('/v1/tokens', { name: '', role: 'root' }), 400, 'VALIDATION_FAILED');
  });

  it('versions datasets by content, previews them and bounds uploads', async () => {
    const first = await trainer.uploadDataset('customers', binaryCsv(50, 1), 'customers.csv', { description: 'first cut' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.version, 1);
    assert.equal(first.body.format, 'csv');
    assert.equal(first.body.rows, 50);
    assert.match(first.body.sha256, /^[0-9a-f]{64}$/);
    const types = Object.fromEntries(first.body.columns.map((c: any) => [c.name, c.type]));
    assert.deepEqual(types, { id: 'string', age: 'integer', income: 'number', plan: 'string', signup: 'datetime', active: 'boolean', label: 'integer' });

    const same = await trainer.uploadDataset('customers', binaryCsv(50, 1));
    assert.equal(same.status, 200);
    assert.equal(same.body.id, first.body.id);
    const next = await trainer.uploadDataset('customers', binaryCsv(60, 2));
    assert.equal(next.status, 201);
    assert.equal(next.body.version, 2);

    const listed = await viewer.get('/v1/datasets?name=customers');
    assert.equal(listed.body.total, 2);
    assert.deepEqual(listed.body.items.map((d: any) => d.version), [2, 1]);
    const preview = await viewer.get(`/v1/datasets/${first.body.id}/preview?limit=3`);
    assert.equal(preview.body.rows.length, 3);
    assert.equal(typeof preview.body.rows[0].age, 'number');

    assertError(await trainer.request('POST', '/v1/datasets', '{"name":"x"}', { 'content-type': 'application/json' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assertError(await trainer.uploadDataset('big', 'a,b\n' + '1,2\n'.repeat(40_000)), 413, 'PAYLOAD_TOO_LARGE');
    const ragged = await trainer.uploadDataset('ragged', 'a,b\n1,2\n3\n');
    assertError(ragged, 422, 'DATASET_INVALID');
    assert.match(ragged.body.error.message, /line 3/);
    assertError(await trainer.uploadDataset('../../etc', 'a\n1\n'), 400, 'VALIDATION_FAILED');
    assertError(await viewer.get('/v1/datasets/00000000-0000-4000-8000-000000000000'), 404, 'DATASET_NOT_FOUND');
    assertError(await viewer.get('/v1/datasets/not-a-uuid'), 404, 'DATASET_NOT_FOUND');
  });

  it('reads the form in any order and refuses malformed multipart bodies with a 400 naming the part', async () => {
    const boundary = 'trainyard-test-boundary';
    const part = (headers: string, body: string) => `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`;
    const file = (name: string, body: string) => part(`Content-Disposition: form-data; name="${name}"; filename="f.csv"\r\nContent-Type: text/csv`, body);
    const field = (name: string, value: string) => part(`Content-Disposition: form-data; name="${name}"`, value);
    const send = (body: string, contentType = `multipart/form-data; boundary=${boundary}`) => trainer.request('POST', '/v1/datasets', body, { 'content-type': contentType });
    const fieldsOf = (res: { body: any }) => res.body.error.details.fields.map((f: any) => `${f.field}: ${f.message}`);

    // The dashboard's form puts the file before the name.
    const fileFirst = await send(file('file', 'a,b\n1,2\n3,4\n') + field('name', 'file-first') + `--${boundary}--\r\n`);
    assert.equal(fileFirst.status, 201, JSON.stringify(fileFirst.body));
    assert.equal(fileFirst.body.name, 'file-first');
    assert.equal(fileFirst.body.rows, 2);

    const truncated = await send(field('name', 'cut') + file('file', 'a,b\n1,2\n').slice(0, -2));
    assertError(truncated, 400, 'VALIDATION_FAILED');
    assert.match(truncated.body.error.message, /malformed multipart form: .*no closing boundary/);
    assertError(await send(field('name', 'x'), 'multipart/form-data'), 400, 'VALIDATION_FAILED');
    const elsewhere = await send(field('name', 'other') + file('upload', 'a\n1\n') + `--${boundary}--`);
    assertError(elsewhere, 400, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(elsewhere), ['upload: only the field `file` may hold a file']);
    const two = await send(field('name', 'two') + file('file', 'a\n1\n') + file('file', 'a\n2\n') + `--${boundary}--`);
    assert.deepEqual(fieldsOf(two), ['file: send one file']);
    const none = await send(field('name', 'none') + `--${boundary}--`);
    assert.deepEqual(fieldsOf(none), ['file: required']);
    for (const refused of ['cut', 'other', 'two', 'none']) assert.equal((await viewer.get(`/v1/datasets?name=${refused}`)).body.total, 0, `${refused} was kept`);
  });

  it('validates training job bodies field by field', async () => {
    const ds = await trainer.uploadDataset('val', binaryCsv(50, 3));
    const bad = await trainer.post('/v1/training-jobs', {
      datasetId: ds.body.id,
      target: 'label',
      model: { type: 'xgboost', params: { maxDepth: -2, bogus: 1 } },
      validation: { testSize: 2 },
      priority: 'asap',
      colour: 'red',
    });
    assertError(bad, 400, 'VALIDATION_FAILED');
    const fields = bad.body.error.details.fields.map((f: any) => f.field).sort();
    for (const f of ['colour', 'model.params.bogus', 'model.params.maxDepth', 'priority', 'validation.testSize']) assert.ok(fields.includes(f), `${f} in ${fields}`);
    assertError(await trainer.post('/v1/training-jobs', { target: 'label', model: { type: 'xgboost' } }), 400, 'VALIDATION_FAILED');
    assertError(await trainer.post('/v1/training-jobs', { datasetId: '00000000-0000-4000-8000-000000000000', target: 'label', model: { type: 'xgboost' } }), 404, 'DATASET_NOT_FOUND');
    assertError(await viewer.get('/v1/training-jobs/00000000-0000-4000-8000-000000000000'), 404, 'JOB_NOT_FOUND');
  });

  it('replays creates with the same Idempotency-Key and refuses a different body', async () => {
    const ds = await trainer.uploadDataset('idem', binaryCsv(80, 4));
    const body = { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 5 } } };
    const first = await trainer.post('/v1/training-jobs', body, { 'idempotency-key': 'abc-1' });
    assert.equal(first.status, 201);
    const again = await trainer.post('/v1/training-jobs', body, { 'idempotency-key': 'abc-1' });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assertError(await trainer.post('/v1/training-jobs', { ...body, notes: 'changed' }, { 'idempotency-key': 'abc-1' }), 409, 'IDEMPOTENCY_CONFLICT');
    const total = (await viewer.get('/v1/training-jobs?name=idem-xgboost')).body.total;
    assert.equal(total, 1);
    await trainer.waitForJob(first.body.id);
  });

  it('pages, sorts and filters job lists', async () => {
    const ds = await trainer.uploadDataset('pages', binaryCsv(80, 5));
    const ids: string[] = [];
    for (const team of ['a', 'b', 'a']) {
      ids.push((await trainer.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', experiment: 'paging', tags: { team }, model: { type: 'xgboost', params: { numRounds: 3 } } })).body.id);
    }
    const page = await viewer.get('/v1/training-jobs?experiment=paging&pageSize=2&page=1');
    assert.equal(page.body.total, 3);
    assert.equal(page.body.items.length, 2);
    assert.equal(page.body.pageSize, 2);
    assert.equal(page.body.items[0].id, ids[2], 'newest first by default');
    const asc = await viewer.get('/v1/training-jobs?experiment=paging&sort=createdAt');
    assert.equal(asc.body.items[0].id, ids[0]);
    const tagged = await viewer.get('/v1/training-jobs?experiment=paging&tag=team:a');
    assert.equal(tagged.body.total, 2);
    assertError(await viewer.get('/v1/training-jobs?pageSize=101'), 400, 'VALIDATION_FAILED');
    assertError(await viewer.get('/v1/training-jobs?page=0'), 400, 'VALIDATION_FAILED');
    assertError(await viewer.get('/v1/training-jobs?sort=-password'), 400, 'VALIDATION_FAILED');
    await Promise.all(ids.map((id) => trainer.waitForJob(id)));
    const stats = await viewer.get('/v1/stats');
    assert.equal(stats.status, 200);
    assert.ok(stats.body.completedLast24h >= 3);
    assert.ok(stats.body.workers.some((w: any) => w.device === 'cpu' && w.slots >= 1));
  });

  it('compares jobs side by side and summarises experiments', async () => {
    const ds = await trainer.uploadDataset('cmp', binaryCsv(150, 12));
    const a = await trainer.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', experiment: 'cmp', model: { type: 'xgboost', params: { numRounds: 4, maxDepth: 2 } } });
    const b = await trainer.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', experiment: 'cmp', model: { type: 'xgboost', params: { numRounds: 30, learningRate: 0.2 } } });
    const [ja, jb] = await Promise.all([trainer.waitForJob(a.body.id), trainer.waitForJob(b.body.id)]);
    const cmp = await viewer.get(`/v1/training-jobs/compare?ids=${ja.id},${jb.id}`);
    assert.equal(cmp.status, 200, JSON.stringify(cmp.body));
    assert.deepEqual(cmp.body.jobs.map((j: any) => j.id), [ja.id, jb.id]);
    assert.deepEqual(cmp.body.params.maxDepth, { [ja.id]: 2, [jb.id]: null });
    assert.equal(cmp.body.metrics.rocAuc[jb.id], jb.metrics.rocAuc);
    assertError(await viewer.get('/v1/training-jobs/compare?ids=nope'), 400, 'VALIDATION_FAILED');
    assertError(await viewer.get(`/v1/training-jobs/compare?ids=${ja.id},00000000-0000-4000-8000-000000000000`), 404, 'JOB_NOT_FOUND');

    const experiments = await viewer.get('/v1/experiments?pageSize=100');
    const cmpExperiment = experiments.body.items.find((e: any) => e.name === 'cmp');
    assert.deepEqual(cmpExperiment.jobCounts, { queued: 0, running: 0, completed: 2, failed: 0, cancelled: 0 });
    const bestAuc = Math.max(ja.metrics.rocAuc, jb.metrics.rocAuc);
    assert.equal(cmpExperiment.best.rocAuc.value, bestAuc);
    assert.equal(cmpExperiment.best.logLoss.value, Math.min(ja.metrics.logLoss, jb.metrics.logLoss));
  });

  it('keeps tenants apart: another tenant sees 404, never 403', async () => {
    const tenant = await admin.post('/v1/tenants', { name: 'acme' });
    assert.equal(tenant.status, 201, JSON.stringify(tenant.body));
    const acme = admin.as(tenant.body.adminToken.token);
    const ours = await trainer.uploadDataset('secret', binaryCsv(40, 6));
    assertError(await acme.get(`/v1/datasets/${ours.body.id}`), 404, 'DATASET_NOT_FOUND');
    assertError(await acme.post('/v1/training-jobs', { datasetId: ours.body.id, target: 'label', model: { type: 'xgboost' } }), 404, 'DATASET_NOT_FOUND');
    const job = await trainer.post('/v1/training-jobs', { datasetId: ours.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 3 } } });
    assertError(await acme.get(`/v1/training-jobs/${job.body.id}`), 404, 'JOB_NOT_FOUND');
    assertError(await acme.post(`/v1/training-jobs/${job.body.id}/cancel`), 404, 'JOB_NOT_FOUND');
    assert.equal((await acme.get('/v1/datasets')).body.total, 0);
    assertError(await acme.post('/v1/tenants', { name: 'nested' }), 403, 'FORBIDDEN');
    await trainer.waitForJob(job.body.id);
  });

  it('refuses to delete a dataset a model version was trained on', async () => {
    const ds = await trainer.uploadDataset('lineage', binaryCsv(120, 7));
    const job = await trainer.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 5 } } });
    const done = await trainer.waitForJob(job.body.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    assertError(await trainer.delete(`/v1/datasets/${ds.body.id}`), 409, 'DATASET_IN_USE');
    const unused = await trainer.uploadDataset('scratch', binaryCsv(30, 8));
    assert.equal((await trainer.delete(`/v1/datasets/${unused.body.id}`)).status, 204);
    assertError(await trainer.get(`/v1/datasets/${unused.body.id}`), 404, 'DATASET_NOT_FOUND');
  });

  it('rate-limits repeated authentication failures', async () => {
    const stranger = admin.as('ty_guess');
    let limited: { status: number; body: any; headers: Headers } | undefined;
    for (let i = 0; i < 20 && !limited; i++) {
      const res = await stranger.get('/v1/datasets');
      if (res.status === 429) limited = res;
    }
    assert.ok(limited, 'expected a 429 after repeated failures');
    assertError(limited, 429, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });
});
