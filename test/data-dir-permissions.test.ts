import assert from 'node:assert/strict';
import { lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { startTestStack, type TestStack } from './support/test-stack';

/** Every file and folder below `dir` with its mode, the folder itself included. */
async function walk(dir: string, out: { path: string; mode: number; dir: boolean }[] = []): Promise<{ path: string; mode: number; dir: boolean }[]> {
  const stat = await lstat(dir);
  out.push({ path: dir, mode: stat.mode & 0o777, dir: true });
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(full, out);
    else out.push({ path: full, mode: (await lstat(full)).mode & 0o777, dir: false });
  }
  return out;
}

describe('the data dir: nothing in it readable by others (files 0600, folders 0700)', () => {
  let stack: TestStack;
  let admin: ApiClient;

  before(async () => {
    // The admin token generated (and written) here, the object store in the data dir: everything the service writes.
    stack = await startTestStack({ config: { adminToken: null }, freshDataDir: true });
    assert.equal(stack.config.storageUrl, pathToFileURL(join(stack.config.dataDir, 'store')).href);
    assert.ok(stack.api.generatedAdminToken, 'a token was generated');
    admin = new ApiClient(stack.url, stack.api.generatedAdminToken);
  });
  after(() => stack?.stop());

  it('keeps everything the API and a worker wrote, after a job and a prediction, to its owner', async () => {
    assert.equal((await admin.post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['training.completed'], secret: 'a-secret-of-sixteen+' })).status, 201);
    const ds = await admin.uploadDataset('private', binaryCsv(200, 71));
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    const created = await admin.post('/v1/training-jobs', { name: 'private', datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 5 } }, execution: { pipeline: 'staged' } });
    const job = await admin.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    const predicted = await admin.post('/v1/models/private/predict', { records: [{ id: 'a', age: 40, income: 1, plan: 'pro', signup: '2024-03-01', active: true }] });
    assert.equal(predicted.status, 200, JSON.stringify(predicted.body));
    assert.equal((await admin.get(`/v1/datasets/${ds.body.id}/preview?limit=5`)).status, 200);

    const entries = await walk(stack.config.dataDir);
    const names = entries.map((e) => relative(stack.config.dataDir, e.path));
    for (const expected of ['admin-token', 'secret.key']) assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    assert.ok(names.some((n) => n.startsWith('store/')), 'the object store is in the data dir');
    assert.ok(names.some((n) => n.startsWith('cache/')), 'the caches are in the data dir');
    const open = entries.filter((e) => (e.mode & 0o077) !== 0);
    assert.deepEqual(open.map((e) => `${relative(stack.config.dataDir, e.path) || '.'} ${e.mode.toString(8)}`), []);
  });
});
