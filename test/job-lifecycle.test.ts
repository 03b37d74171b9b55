import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { logMessages, longJob, quickJob, seriesLength, sleep, waitForTraining, waitUntil } from './support/jobs';
import { sql } from './support/sql';
import { freePort, startDevServer, type DevServer } from './support/temporal-dev-server';
import { startTestStack, type TestStack } from './support/test-stack';

describe('job lifecycle: cancel, retry, reconcile', () => {
  let stack: TestStack;
  let api: ApiClient;
  let bigId: string;
  let smallId: string;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
    bigId = (await api.uploadDataset('big', binaryCsv(5000, 11))).body.id;
    smallId = (await api.uploadDataset('small', binaryCsv(200, 12))).body.id;
  });
  after(() => stack?.stop());

  it('cancels a job mid-training: it stops promptly and cannot be cancelled twice', async () => {
    const created = await api.post('/v1/training-jobs', longJob(bigId, 5000));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    await waitForTraining(api, id);
    await waitUntil('metric points', async () => (await seriesLength(api, id)) > 0, 20_000);

    const requestedAt = Date.now();
    const cancel = await api.post(`/v1/training-jobs/${id}/cancel`);
    assert.equal(cancel.status, 202, JSON.stringify(cancel.body));
    assert.equal(cancel.body.id, id);
    assert.ok(['running', 'cancelled'].includes(cancel.body.status), cancel.body.status);

    const job = await api.waitForJob(id, ['completed', 'failed', 'cancelled'], 30_000);
    const elapsed = Date.now() - requestedAt;
    assert.equal(job.status, 'cancelled', JSON.stringify(job.error));
    assert.ok(elapsed < 10_000, `cancelled ${elapsed} ms after the request`);
    assert.equal(job.error, null);
    assert.equal(job.modelVersion, null);
    assert.ok(job.completedAt, 'completedAt is set');

    const rounds = await seriesLength(api, id);
    await sleep(2000);
    assert.equal(await seriesLength(api, id), rounds, 'the metric series stops growing after cancellation');
    assert.ok(rounds > 0 && rounds < 5000, `trained ${rounds} of 5000 rounds`);
    const messages = (await logMessages(api, id)).map((l) => l.message);
    assert.ok(messages.some((m) => m.startsWith('cancellation requested')), messages.join('\n'));
    assert.ok(messages.some((m) => /training stopped at round \d+/.test(m)), messages.join('\n'));

    const again = await api.post(`/v1/training-jobs/${id}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'JOB_NOT_CANCELLABLE');

    // A cancelled job may be retried.
    const retried = await api.post(`/v1/training-jobs/${id}/retry`);
    assert.equal(retried.status, 201, JSON.stringify(retried.body));
    assert.equal(retried.body.retryOf, id);
    await api.post(`/v1/training-jobs/${retried.body.id}/cancel`);
    assert.equal((await api.waitForJob(retried.body.id, ['cancelled', 'failed', 'completed'], 30_000)).status, 'cancelled');
  });

  it('retries failed jobs with the same request, and refuses completed, queued and running ones', async () => {
    // Early stopping without validation rows: accepted at submit, failed by the pipeline.
    const failed = await api.post('/v1/training-jobs', {
      datasetId: smallId,
      target: 'label',
      task: 'classification',
      exclude: ['id'],
      validation: { validationSize: 0 },
      model: { type: 'xgboost', params: { numRounds: 7, earlyStoppingRounds: 3 } },
      tags: { team: 'qa' },
      notes: 'n',
    });
    const original = await api.waitForJob(failed.body.id);
    assert.equal(original.status, 'failed');
    assert.equal(original.error.code, 'INVALID_HYPERPARAMETERS');

    const retry = await api.post(`/v1/training-jobs/${original.id}/retry`);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    const copy = retry.body;
    assert.notEqual(copy.id, original.id);
    assert.equal(copy.retryOf, original.id);
    assert.equal(copy.status, 'queued');
    assert.equal(copy.workflowId, `training-job-${copy.id}`);
    for (const key of ['name', 'experiment', 'datasetId', 'target', 'task', 'priority', 'model', 'tags', 'notes'] as const) {
      assert.deepEqual(copy[key], original[key], `${key} is copied`);
    }
    const copyDone = await api.waitForJob(copy.id);
    assert.equal(copyDone.status, 'failed');
    assert.equal(copyDone.error.code, 'INVALID_HYPERPARAMETERS');
    assert.equal((await api.get(`/v1/training-jobs/${original.id}`)).body.status, 'failed', 'the original is untouched');

    // A retry can correct the request: the overrides are validated like a new job, the rest is copied.
    const badFix = await api.post(`/v1/training-jobs/${original.id}/retry`, { target: 'lable', model: { type: 'svm' } });
    assert.equal(badFix.status, 400, JSON.stringify(badFix.body));
    assert.deepEqual(badFix.body.error.details.fields.map((f: any) => f.field), ['model.type']);
    const misspelt = await api.post(`/v1/training-jobs/${original.id}/retry`, { target: 'lable' });
    assert.equal(misspelt.status, 400, JSON.stringify(misspelt.body));
    assert.equal(misspelt.body.error.details.fields[0].field, 'target');
    assert.equal(misspelt.body.error.details.fields[0].closest[0], 'label');
    const fixed = await api.post(`/v1/training-jobs/${original.id}/retry`, { validation: { validationSize: 0.2 } });
    assert.equal(fixed.status, 201, JSON.stringify(fixed.body));
    assert.equal(fixed.body.retryOf, original.id);
    assert.equal(fixed.body.validation.validationSize, 0.2);
    assert.equal(fixed.body.target, 'label');
    assert.deepEqual(fixed.body.tags, { team: 'qa' });
    assert.equal(fixed.body.model.params.numRounds, 7);
    assert.equal((await api.waitForJob(fixed.body.id)).status, 'completed');

    const ok = await api.post('/v1/training-jobs', quickJob(smallId));
    assert.equal((await api.waitForJob(ok.body.id)).status, 'completed');
    const refused = await api.post(`/v1/training-jobs/${ok.body.id}/retry`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'JOB_NOT_RETRYABLE');

    const live = await api.post('/v1/training-jobs', longJob(bigId, 5000));
    const whileQueued = await api.post(`/v1/training-jobs/${live.body.id}/retry`);
    assert.equal(whileQueued.status, 409);
    assert.equal(whileQueued.body.error.code, 'JOB_NOT_RETRYABLE');
    await waitForTraining(api, live.body.id);
    const whileRunning = await api.post(`/v1/training-jobs/${live.body.id}/retry`);
    assert.equal(whileRunning.status, 409);
    assert.equal(whileRunning.body.error.code, 'JOB_NOT_RETRYABLE');
    assert.equal(whileRunning.body.error.details.status, 'running');
    await api.post(`/v1/training-jobs/${live.body.id}/cancel`);
    assert.equal((await api.waitForJob(live.body.id, ['cancelled', 'failed', 'completed'], 30_000)).status, 'cancelled');
  });

  it('reconciles a job whose workflow was terminated behind its back as failed', async () => {
    const created = await api.post('/v1/training-jobs', longJob(bigId, 5000));
    const id = created.body.id;
    await waitForTraining(api, id);

    const connection = await Connection.connect({ address: stack.config.temporalAddress });
    try {
      const temporal = new TemporalClient({ connection, namespace: stack.config.temporalNamespace });
      await temporal.workflow.getHandle(created.body.workflowId).terminate('test: terminated outside Trainyard');
      assert.equal((await temporal.workflow.getHandle(created.body.workflowId).describe()).status.name, 'TERMINATED');
    } finally {
      await connection.close();
    }

    // Within the grace period the reconciler leaves young jobs alone: they may not have reached Temporal yet.
    await stack.api.reconciler.reconcile();
    assert.equal((await api.get(`/v1/training-jobs/${id}`)).body.status, 'running', 'a young job is left alone');

    // Age the job past the grace period instead of waiting a minute.
    await sql(stack.config.databaseUrl, `update training_jobs set created_at = now() - interval '5 minutes' where id = $1`, [id]);
    const closed = await stack.api.reconciler.reconcile();
    assert.ok(closed >= 1, `closed ${closed}`);

    const job = (await api.get(`/v1/training-jobs/${id}`)).body;
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'INTERNAL');
    assert.match(job.error.message, /terminated/);
    assert.ok(job.completedAt);
    const messages = (await logMessages(api, id)).map((l) => l.message);
    assert.ok(messages.some((m) => m.startsWith('reconciled:') && m.includes('terminated')), messages.join('\n'));

    // The orphaned activity notices and stops; nothing moves the job back to running.
    for (let i = 0; i < 8; i++) {
      await sleep(500);
      const again = (await api.get(`/v1/training-jobs/${id}`)).body;
      assert.equal(again.status, 'failed', `poll ${i}: ${again.status}`);
    }
    assert.equal(await stack.api.reconciler.reconcile(), 0, 'a reconciled job is not closed twice');
  });
});

// Temporal orders tasks by priority only within a task-queue partition, so this suite runs on a dev server configured
// as `npm test` and compose configure theirs (one partition per queue); with the default four, the order is best-effort.
describe('capacity and priority (one CPU slot)', () => {
  let stack: TestStack;
  let api: ApiClient;
  let bigId: string;
  let smallId: string;
  let temporalDir: string;
  let temporal: DevServer | undefined;

  before(async () => {
    temporalDir = await mkdtemp(join(tmpdir(), 'trainyard-temporal-'));
    temporal = await startDevServer({ port: await freePort(), uiPort: await freePort(), dbFile: join(temporalDir, 't.db') });
    stack = await startTestStack({ config: { cpuSlots: 1, temporalAddress: temporal.address } });
    api = new ApiClient(stack.url, stack.adminToken);
    bigId = (await api.uploadDataset('big', binaryCsv(5000, 21))).body.id;
    smallId = (await api.uploadDataset('small', binaryCsv(200, 22))).body.id;
  });
  after(async () => {
    await stack?.stop();
    await temporal?.stop();
    await rm(temporalDir, { recursive: true, force: true });
  });

  it('keeps a job beyond capacity queued until the slot frees', async () => {
    const long = await api.post('/v1/training-jobs', longJob(bigId, 5000));
    await waitForTraining(api, long.body.id);
    const waiting = await api.post('/v1/training-jobs', quickJob(smallId));
    assert.equal(waiting.status, 201);
    for (let i = 0; i < 12; i++) {
      await sleep(250);
      const job = (await api.get(`/v1/training-jobs/${waiting.body.id}`)).body;
      assert.equal(job.status, 'queued', `poll ${i}: ${JSON.stringify(job)}`);
      assert.equal(job.startedAt, null);
      assert.equal(job.stage, null);
    }
    const stats = await api.get('/v1/stats');
    assert.equal(stats.status, 200);
    assert.ok(stats.body.queued >= 1 && stats.body.running >= 1, JSON.stringify(stats.body));

    await api.post(`/v1/training-jobs/${long.body.id}/cancel`);
    assert.equal((await api.waitForJob(long.body.id, ['cancelled', 'failed', 'completed'], 30_000)).status, 'cancelled');
    const done = await api.waitForJob(waiting.body.id, ['completed', 'failed', 'cancelled'], 60_000);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
  });

  it('starts an urgent job before normal jobs queued earlier', async () => {
    const long = await api.post('/v1/training-jobs', longJob(bigId, 1200, { priority: 'normal' }));
    await waitForTraining(api, long.body.id);
    const normals: any[] = [];
    for (let i = 0; i < 3; i++) {
      normals.push((await api.post('/v1/training-jobs', quickJob(smallId, { priority: 'normal', name: `normal-${i}` }))).body);
      await sleep(150);
    }
    const urgent = (await api.post('/v1/training-jobs', quickJob(smallId, { priority: 'urgent', name: 'urgent' }))).body;
    assert.equal(urgent.priority, 'urgent');

    // Every waiting job's first step must sit in the task queue's backlog before the slot frees.
    const connection = await Connection.connect({ address: stack.config.temporalAddress });
    try {
      const temporal = new TemporalClient({ connection, namespace: stack.config.temporalNamespace });
      await waitUntil('every waiting job to have its first step scheduled', async () => {
        const described = await Promise.all([...normals, urgent].map((j) => temporal.workflow.getHandle(j.workflowId).describe()));
        // The first step: the whole pipeline for a small job, or loading features for a staged one.
        return described.every((d) => d.raw.pendingActivities?.some((a) => ['runPipeline', 'loadFeatures'].includes(a.activityType?.name ?? '')));
      }, 20_000);
    } finally {
      await connection.close();
    }
    const stillTraining = (await api.get(`/v1/training-jobs/${long.body.id}`)).body;
    assert.equal(stillTraining.stage, 'train', 'the long job still holds the slot when the urgent job is scheduled');

    const [longDone, urgentDone, ...normalDone] = await Promise.all([long.body, urgent, ...normals].map((j) => api.waitForJob(j.id, undefined, 100_000)));
    for (const j of [longDone, urgentDone, ...normalDone]) assert.equal(j.status, 'completed', `${j.name}: ${JSON.stringify(j.error)}`);
    const started = (j: { startedAt: string }) => Date.parse(j.startedAt);
    for (const n of normalDone) {
      assert.ok(started(urgentDone) < started(n), `urgent started ${urgentDone.startedAt}, ${n.name} started ${n.startedAt}`);
    }
  });
});
