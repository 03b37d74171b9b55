import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { ApiClient } from './support/http';
import { binaryCsv } from './support/datasets';
import { sql } from './support/sql';
import { startTestStack, type TestStack } from './support/test-stack';

describe('retention: old jobs and logs go, lineage stays', () => {
  let stack: TestStack;
  let api: ApiClient;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
  });
  after(() => stack?.stop());

  it('is scheduled daily in Temporal', async () => {
    const connection = await Connection.connect({ address: stack.config.temporalAddress });
    try {
      const description = await new Client({ connection }).schedule.getHandle(`${stack.config.queuePrefix}trainyard-retention`).describe();
      assert.ok(description.info.nextActionTimes.length > 0);
    } finally {
      await connection.close();
    }
  });

  /** Early stopping without validation rows: accepted at submit, failed by the pipeline. */
  const failingJob = (datasetId: string) => ({ datasetId, target: 'label', validation: { validationSize: 0 }, model: { type: 'xgboost', params: { earlyStoppingRounds: 3 } } });

  it('deletes expired jobs without model versions and old logs, never what lineage needs', async () => {
    const ds = await api.uploadDataset('ret', binaryCsv(150, 61));
    const kept = await api.waitForJob((await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', model: { type: 'xgboost', params: { numRounds: 3 } } })).body.id);
    const oldFailed = await api.waitForJob((await api.post('/v1/training-jobs', failingJob(ds.body.id))).body.id);
    const recentFailed = await api.waitForJob((await api.post('/v1/training-jobs', failingJob(ds.body.id))).body.id);
    assert.equal(kept.status, 'completed');
    assert.equal(oldFailed.status, 'failed');
    // Age two of them past every default limit (90 days completed, 30 failed, 7 for logs).
    await sql(stack.config.databaseUrl, `update training_jobs set completed_at = now() - interval '100 days' where id = any($1)`, [[kept.id, oldFailed.id]]);
    const keptLogsBefore = (await api.get(`/v1/training-jobs/${kept.id}/logs`)).body.items.length;
    assert.ok(keptLogsBefore > 0);

    const run = await api.post('/v1/admin/retention/run');
    assert.equal(run.status, 201, JSON.stringify(run.body));
    assert.equal(run.body.jobsDeleted, 1);
    assert.ok(run.body.logLinesDeleted >= keptLogsBefore);

    assert.equal((await api.get(`/v1/training-jobs/${oldFailed.id}`)).status, 404, 'the expired failed job is gone');
    assert.equal(existsSync(join(stack.config.dataDir, 'jobs', oldFailed.id)), false, 'with its working files');
    assert.equal((await api.get(`/v1/training-jobs/${kept.id}`)).status, 200, 'a job a model version came from stays');
    assert.equal((await api.get(`/v1/training-jobs/${kept.id}/logs`)).body.items.length, 0, 'its old log lines do not');
    assert.equal((await api.get(`/v1/training-jobs/${recentFailed.id}`)).status, 200, 'a recent failure stays');
    assert.equal((await api.get(`/v1/datasets/${ds.body.id}`)).status, 200, 'datasets are never deleted by retention');
    const version = (await api.get(`/v1/models/${kept.modelVersion.name}/versions/1`)).body;
    assert.equal(version.jobId, kept.id);
    assert.equal((await api.get(`/v1/models/${kept.modelVersion.name}/versions/1/artifact`)).status, 200);
  });
});
