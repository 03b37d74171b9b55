import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { longJob, sleep, waitForTraining } from './support/jobs';
import { freePort, startDevServer, type DevServer } from './support/temporal-dev-server';
import { startTestStack, type TestStack } from './support/test-stack';

describe('Temporal restarts under running jobs', () => {
  let dir: string;
  let temporal: DevServer | undefined;
  let stack: TestStack | undefined;
  let options: { port: number; uiPort: number; dbFile: string };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trainyard-temporal-'));
    options = { port: await freePort(), uiPort: await freePort(), dbFile: join(dir, 't.db') };
    temporal = await startDevServer(options);
  });
  after(async () => {
    await stack?.stop();
    await temporal?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('completes every job when the Temporal server stops and comes back on the same database', async () => {
    stack = await startTestStack({ config: { temporalAddress: temporal!.address } });
    const api = new ApiClient(stack.url, stack.adminToken);
    const ds = await api.uploadDataset('restart', binaryCsv(3000, 51));
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api.post('/v1/training-jobs', longJob(ds.body.id, 2000, { name: `restart-${i}` }));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ids.push(created.body.id);
    }
    await waitForTraining(api, ids[0]!);

    await temporal!.stop();
    const during = await Promise.all(ids.map(async (id) => (await api.get(`/v1/training-jobs/${id}`)).body.status));
    // Two slots for three jobs: the others may already be done, but the job seen training is in flight and none failed.
    assert.ok(during[0] === 'running' && during.every((s) => s !== 'failed' && s !== 'cancelled'), `job states when Temporal stopped: ${during}`);
    const health = await api.get('/health');
    assert.equal(health.status, 503, 'health reports Temporal down');
    await sleep(3000);
    temporal = await startDevServer(options);

    const jobs = await Promise.all(ids.map((id) => api.waitForJob(id, ['completed', 'failed', 'cancelled'], 100_000)));
    for (const job of jobs) {
      assert.equal(job.status, 'completed', `${job.name}: ${JSON.stringify(job.error)}`);
      assert.equal(job.modelVersion.version >= 1, true);
    }
    assert.deepEqual(jobs.map((j) => j.modelVersion.version).sort(), [1, 1, 1], 'each job registers its own model name once');
    assert.equal((await api.get('/health')).status, 200, 'health recovers');
  });
});
