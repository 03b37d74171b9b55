import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './support/http';
import { binaryCsv } from './support/datasets';
import { quickJob } from './support/jobs';
import { sql } from './support/sql';
import { startTestStack, type TestStack } from './support/test-stack';

interface Operation {
  method: string;
  path: string;
  op: { requestBody?: { content: Record<string, { schema: { $ref?: string; example?: unknown } }> } };
}

/**
 * Generated from the OpenAPI document, so a new route is covered without anyone writing its test: every route with a
 * path parameter is called by another tenant with this tenant's ids and must answer 404 `<RESOURCE>_NOT_FOUND`; every
 * other GET must not mention any of this tenant's ids or names.
 */
describe('tenant isolation, generated from the route table', () => {
  let stack: TestStack;
  let owner: ApiClient;
  let stranger: ApiClient;
  let doc: any;
  const ids: Record<string, string> = {};

  before(async () => {
    stack = await startTestStack();
    owner = new ApiClient(stack.url, stack.adminToken);
    const tenant = await owner.post('/v1/tenants', { name: 'stranger' });
    assert.equal(tenant.status, 201, JSON.stringify(tenant.body));
    stranger = owner.as(tenant.body.adminToken.token);

    // One of everything, owned by the default tenant.
    const dataset = await owner.uploadDataset('isolation-data', binaryCsv(120, 7));
    ids.dataset = dataset.body.id;
    const job = await owner.post('/v1/training-jobs', quickJob(ids.dataset, { name: 'isolation-model' }));
    assert.equal(job.status, 201, JSON.stringify(job.body));
    ids.job = job.body.id;
    const done = await owner.waitForJob(ids.job);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    ids.model = done.modelVersion.name;
    ids.version = String(done.modelVersion.version);
    assert.equal((await owner.request('PUT', `/v1/models/${ids.model}/aliases/production`, { version: done.modelVersion.version })).status, 200);
    const study = await owner.post('/v1/studies', {
      name: 'isolation-study',
      job: quickJob(ids.dataset),
      searchSpace: { maxDepth: { type: 'int', low: 2, high: 3 } },
      objective: { metric: 'accuracy' },
      trials: 1,
      parallelism: 1,
      sampler: 'random',
    });
    assert.equal(study.status, 201, JSON.stringify(study.body));
    ids.study = study.body.id;
    const schedule = await owner.post('/v1/schedules', { name: 'isolation-schedule', cron: '0 3 * * *', job: quickJob(ids.dataset) });
    assert.equal(schedule.status, 201, JSON.stringify(schedule.body));
    ids.schedule = schedule.body.id;
    const token = await owner.post('/v1/tokens', { name: 'isolation-viewer', role: 'viewer' });
    ids.token = token.body.id;
    const hook = await owner.post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['training.completed'], secret: 'a-secret-of-sixteen+' });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    ids.webhook = hook.body.id;

    doc = (await owner.as(null).get('/docs-json')).body;
  });
  after(() => stack?.stop());

  /** The owner's value for a path parameter; a route whose parameter has no fixture fails the test, by design. */
  function paramValue(path: string, name: string): string {
    const resource = path.split('/')[2];
    const byResource: Record<string, string> = { 'training-jobs': 'job', datasets: 'dataset', studies: 'study', schedules: 'schedule', tokens: 'token', webhooks: 'webhook' };
    if (name === 'id' && byResource[resource]) return ids[byResource[resource]];
    if (name === 'name') return ids.model;
    if (name === 'version') return ids.version;
    if (name === 'alias') return 'production';
    assert.fail(`no fixture for path parameter {${name}} of ${path}: add one to the cross-tenant test`);
  }

  /** The documented example of a route's JSON body, with dataset ids pointing at the owner's dataset. */
  function exampleBody(operation: Operation['op']): unknown {
    const schema = operation.requestBody?.content['application/json']?.schema;
    if (!schema) return undefined;
    const example = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!].example : schema.example;
    return example && typeof example === 'object' ? JSON.parse(JSON.stringify(example).replace(/"datasetId":"[^"]+"/g, `"datasetId":"${ids.dataset}"`)) : example;
  }

  function operations(): Operation[] {
    return Object.entries(doc.paths as Record<string, Record<string, Operation['op']>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  }

  it("answers 404 <RESOURCE>_NOT_FOUND to every route called with another tenant's ids", async () => {
    const routes = operations().filter((o) => o.path.includes('{'));
    assert.ok(routes.length >= 25, `only ${routes.length} routes with path parameters in the document`);
    const leaks: string[] = [];
    for (const { method, path, op } of routes) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(paramValue(path, name)));
      const res = await stranger.request(method, url, exampleBody(op));
      if (res.status !== 404 || !/^[A-Z_]+_NOT_FOUND$/.test(res.body?.error?.code ?? '')) leaks.push(`${method} ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    assert.deepEqual(leaks, []);
  });

  it('shows the owner the same resources (the fixtures are real)', async () => {
    const gets = operations().filter((o) => o.method === 'GET' && o.path.includes('{'));
    for (const { path } of gets) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(paramValue(path, name)));
      const res = await owner.get(url);
      assert.ok(res.status >= 200 && res.status < 300, `${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
  });

  it("never lists another tenant's resources", async () => {
    const secrets = [ids.dataset, ids.job, ids.study, ids.schedule, ids.token, ids.webhook, ids.model, 'isolation-data', 'isolation-study', 'isolation-schedule'];
    const lists = operations().filter((o) => o.method === 'GET' && !o.path.includes('{') && o.path.startsWith('/v1/') && !o.path.endsWith('/compare'));
    assert.ok(lists.length >= 8, `only ${lists.length} list routes`);
    for (const { path } of lists) {
      const res = await stranger.get(path);
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
      const text = JSON.stringify(res.body);
      for (const secret of secrets) assert.ok(!text.includes(secret), `${path} shows ${secret}: ${text.slice(0, 300)}`);
    }
    const compare = await stranger.get(`/v1/training-jobs/compare?ids=${ids.job}`);
    assert.equal(compare.status, 404);
  });

  it("counts only the caller's tenant's work in /v1/stats, and shows its admins only its own storage", async () => {
    const theirs = (await stranger.get('/v1/stats')).body;
    assert.deepEqual([theirs.queued, theirs.running, theirs.completedLast24h, theirs.failedLast24h, theirs.successRate], [0, 0, 0, 0, null], JSON.stringify(theirs));
    assert.deepEqual(theirs.storage, { datasetsBytes: 0, modelsBytes: 0 });
    assert.ok(theirs.workers.length > 0, 'the shared workers are shown');

    const ours = (await owner.get('/v1/stats')).body;
    assert.ok(ours.completedLast24h >= 1, JSON.stringify(ours));
    const datasets = (await owner.get('/v1/datasets?pageSize=100')).body.items;
    assert.equal(ours.storage.datasetsBytes, datasets.reduce((sum: number, d: any) => sum + d.sizeBytes, 0));
    const [objects] = await sql<{ bytes: string }>(
      stack.db.url,
      `select sum(size)::bigint as bytes from (select artifact->>'key' k, (artifact->>'size')::bigint size from model_versions
        union select plan->>'key', (plan->>'size')::bigint from model_versions where plan is not null
        union select engine_model->>'key', (engine_model->>'size')::bigint from model_versions where engine_model is not null) o`,
    );
    assert.ok(ours.storage.modelsBytes > 0);
    assert.equal(ours.storage.modelsBytes, Number(objects.bytes), 'every distinct model object once');

    const viewer = owner.as((await owner.post('/v1/tokens', { name: 'stats-viewer', role: 'viewer' })).body.token);
    const seen = (await viewer.get('/v1/stats')).body;
    assert.equal(seen.completedLast24h, ours.completedLast24h);
    assert.ok(!('storage' in seen), 'storage is for admins');

    const upload = await stranger.uploadDataset('their-data', binaryCsv(50, 9));
    assert.equal((await stranger.get('/v1/stats')).body.storage.datasetsBytes, upload.body.sizeBytes);
  });
});
