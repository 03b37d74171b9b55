import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { ApiClient, type HttpResult } from './support/http';
import { binaryCsv } from './support/datasets';
import { quickJob } from './support/jobs';
import { startTestStack, type TestStack } from './support/test-stack';

function assertFields(res: HttpResult, fields: string[]) {
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'VALIDATION_FAILED', JSON.stringify(res.body));
  const named = (res.body.error.details.fields as { field: string }[]).map((f) => f.field);
  for (const field of fields) assert.ok(named.includes(field), `${field} in ${JSON.stringify(named)}`);
}

/** Bad input is a clear 4xx with a stable code that names the field, never a 5xx. */
describe('hostile input at the edge', () => {
  let stack: TestStack;
  let admin: ApiClient;
  let datasetId: string;

  before(async () => {
    stack = await startTestStack({ worker: false });
    admin = new ApiClient(stack.url, stack.adminToken);
    datasetId = (await admin.uploadDataset('hostile', binaryCsv(60, 5))).body.id;
  });
  after(() => stack?.stop());

  it('refuses NUL and other control characters in any string of a body, naming the field', async () => {
    assertFields(await admin.post('/v1/tokens', { name: 'ci\u0000bot', role: 'viewer' }), ['name']);
    assertFields(await admin.post('/v1/training-jobs', quickJob(datasetId, { notes: 'a\u0000b' })), ['notes']);
    assertFields(await admin.post('/v1/training-jobs', quickJob(datasetId, { tags: { team: 'x\u0001y' } })), ['tags.team']);
    assertFields(await admin.post('/v1/training-jobs', quickJob(datasetId, { tags: { 'te\u0000am': 'x' } })), ['tags.te\u0000am']);
    assertFields(await admin.post('/v1/training-jobs', { ...quickJob(datasetId), target: 'la\u0000bel' }), ['target']);
    assertFields(await admin.post('/v1/tenants', { name: 'x\u001by' }), ['name']);
    // Line breaks and tabs are text in a body.
    const ok = await admin.post('/v1/training-jobs', quickJob(datasetId, { notes: 'line one\nline\ttwo\r\n' }));
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.notes, 'line one\nline\ttwo\r\n');
  });

  it('refuses control characters in paths, queries and upload fields', async () => {
    assertFields(await admin.get('/v1/models/churn%00x'), ['name']);
    assertFields(await admin.get('/v1/models/churn%0Ax/versions'), ['name']);
    assertFields(await admin.get('/v1/training-jobs?name=a%00b'), ['name']);
    assertFields(await admin.get('/v1/training-jobs?experiment=x%01'), ['experiment']);
    assertFields(await admin.get('/v1/datasets?name=a%00b'), ['name']);
    const multipart = (name: string, description: string) => {
      const b = 'hostileboundary';
      const part = (field: string, value: string, file = '') =>
        `--${b}\r\nContent-Disposition: form-data; name="${field}"${file ? `; filename="${file}"` : ''}\r\n${file ? 'Content-Type: text/csv\r\n' : ''}\r\n${value}\r\n`;
      const body = part('name', name) + part('description', description) + part('file', binaryCsv(10), 'x.csv') + `--${b}--\r\n`;
      return admin.request('POST', '/v1/datasets', body, { 'content-type': `multipart/form-data; boundary=${b}` });
    };
    assertFields(await multipart('bad\u0000name', 'fine'), ['name']);
    assertFields(await multipart('fine', 'a\u0007b'), ['description']);
  });

  it('answers a body that does not match its encoding, or an unknown encoding or charset, with 400/415', async () => {
    const json = JSON.stringify(quickJob(datasetId));
    // The body is read before authentication, so these answer the same without a token.
    for (const client of [admin, admin.as(null)]) {
      const lie = await client.request('POST', '/v1/training-jobs', json, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      assert.equal(lie.status, 400, JSON.stringify(lie.body));
      const unknown = await client.request('POST', '/v1/training-jobs', json, { 'content-type': 'application/json', 'content-encoding': 'x-compress-9' });
      assert.equal(unknown.status, 415, JSON.stringify(unknown.body));
      assert.equal(unknown.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
      const latin = await client.request('POST', '/v1/training-jobs', json, { 'content-type': 'application/json; charset=latin1' });
      assert.equal(latin.status, 415, JSON.stringify(latin.body));
    }
    // A charset the parser can decode but JSON does not allow is refused once the caller is known.
    const utf7 = await admin.request('POST', '/v1/training-jobs', json, { 'content-type': 'application/json; charset=utf-7' });
    assert.equal(utf7.status, 415, JSON.stringify(utf7.body));
    const res = await fetch(`${stack.url}/v1/training-jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(json),
    });
    assert.equal(res.status, 201, await res.text());
    const plain = await admin.request('POST', '/v1/training-jobs', json, { 'content-type': 'text/plain' });
    assert.equal(plain.status, 415, JSON.stringify(plain.body));
  });

  it('names body for malformed JSON', async () => {
    const res = await admin.request('POST', '/v1/training-jobs', '{"datasetId": ', { 'content-type': 'application/json' });
    assertFields(res, ['body']);
  });

  it('refuses cron fields out of range with 400, not 503', async () => {
    for (const cron of ['61 3 * * *', '0 24 * * *', '0 3 32 * *', '0 3 * 13 *', '0 3 * * 9', '*/0 * * * *']) {
      assertFields(await admin.post('/v1/schedules', { name: 'nightly', cron, job: quickJob(datasetId) }), ['cron']);
    }
  });

  it('checks metric names as own keys of the metric list', async () => {
    for (const metric of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assertFields(await admin.post('/v1/schedules', { name: 'nightly', cron: '0 3 * * *', job: quickJob(datasetId), promote: { metric } }), ['promote.metric']);
      assertFields(
        await admin.post('/v1/studies', { name: 's', job: quickJob(datasetId), searchSpace: { maxDepth: { type: 'int', low: 2, high: 4 } }, objective: { metric } }),
        ['objective.metric'],
      );
    }
  });

  it('refuses unknown enum values in list filters instead of answering an empty page', async () => {
    assertFields(await admin.get('/v1/training-jobs?status=done'), ['status']);
    assertFields(await admin.get('/v1/training-jobs?modelType=svm'), ['modelType']);
    assertFields(await admin.get('/v1/training-jobs?sort=-colour'), ['sort']);
    assertFields(await admin.get('/v1/training-jobs?tag=novalue'), ['tag[0]']);
    assertFields(await admin.get('/v1/events?type=job.done'), ['type']);
    assertFields(await admin.get('/v1/training-jobs?pageSize=1000'), ['pageSize']);
    assertFields(await admin.get('/v1/training-jobs?color=red'), ['color']);
    assert.equal((await admin.get('/v1/training-jobs?status=queued')).status, 200);
  });

  it('sends security headers on every response, and keeps the Swagger UI working', async () => {
    for (const [path, token] of [['/health', null], ['/v1/datasets', stack.adminToken], ['/v1/datasets', null], ['/v1/nothing', null], ['/docs-json', null]] as const) {
      const res = await fetch(stack.url + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      assert.equal(res.headers.get('x-powered-by'), null, path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*frame-ancestors 'none'/, path);
    }
    const page = await fetch(`${stack.url}/docs`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    for (const src of [...html.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1])) {
      const asset = await fetch(`${stack.url}/docs/${src.replace(/^docs\//, '')}`);
      assert.equal(asset.status, 200, src);
    }
  });

  it('refuses unknown fields in a retry body, and says when a TPE study is a random search', async () => {
    const failed = await admin.post('/v1/training-jobs', quickJob(datasetId));
    assertFields(await admin.post(`/v1/training-jobs/${failed.body.id}/retry`, { colour: 'red' }), ['colour']);

    const study = (trials: number) =>
      admin.post('/v1/studies', { name: `tpe-${trials}`, job: quickJob(datasetId), searchSpace: { maxDepth: { type: 'int', low: 2, high: 4 } }, objective: { metric: 'accuracy' }, trials, sampler: 'tpe' });
    const few = await study(8);
    assert.equal(few.status, 201, JSON.stringify(few.body));
    assert.equal(few.body.warnings.length, 1);
    assert.match(few.body.warnings[0], /random/);
    const enough = await study(11);
    assert.deepEqual(enough.body.warnings, []);
    for (const s of [few.body, enough.body]) await admin.post(`/v1/studies/${s.id}/cancel`);
  });
});
