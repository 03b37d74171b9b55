import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { longJob, quickJob, waitForTraining, waitUntil } from './support/jobs';
import { startTestStack, type TestStack } from './support/test-stack';

describe('queue controls: bulk cancel, estimated completion, search (real Temporal, PostgreSQL)', () => {
  let stack: TestStack;
  let api: ApiClient;
  let datasetId: string;

  before(async () => {
    // One training slot: a long job holds it, and every job after it waits queued.
    stack = await startTestStack({ config: { cpuSlots: 1 } });
    api = new ApiClient(stack.url, stack.adminToken);
    datasetId = (await api.uploadDataset('queue', binaryCsv(3000, 61))).body.id;
  });
  after(() => stack?.stop());

  it('estimates a running job’s completion from its pace, and cancels queued jobs by experiment and tag, then running ones', async () => {
    const long = await api.post('/v1/training-jobs', longJob(datasetId, 100_000, { experiment: 'long' }));
    assert.equal(long.status, 201, JSON.stringify(long.body));
    assert.equal(long.body.estimatedCompletionAt, null, 'nothing measured while queued');
    await waitForTraining(api, long.body.id);
    const running = await waitUntil('a measured pace', async () => {
      const job = (await api.get(`/v1/training-jobs/${long.body.id}`)).body;
      return job.estimatedCompletionAt ? job : null;
    });
    const eta = Date.parse(running.estimatedCompletionAt);
    assert.ok(eta > Date.now(), `${running.estimatedCompletionAt} is ahead at progress ${running.progress}`);
    assert.ok(eta < Date.now() + 30 * 86_400_000, 'and not absurdly far');

    const queued = await Promise.all(
      [{ team: 'a' }, { team: 'a' }, { team: 'b' }, {}].map((tags) => api.post('/v1/training-jobs', quickJob(datasetId, { experiment: 'nightly', tags }))),
    );
    const other = await api.post('/v1/training-jobs', quickJob(datasetId, { experiment: 'other' }));
    for (const res of [...queued, other]) assert.equal(res.status, 201, JSON.stringify(res.body));
    const ids = queued.map((res) => res.body.id as string);

    // Another tenant's bulk cancel reaches none of these.
    const tenant = await api.post('/v1/tenants', { name: 'queue-stranger' });
    const stranger = api.as(tenant.body.adminToken.token);
    assert.deepEqual((await stranger.post('/v1/training-jobs/cancel', {})).body, { cancelled: 0 });

    const byTag = await api.post('/v1/training-jobs/cancel', { experiment: 'nightly', tag: 'team:a' });
    assert.equal(byTag.status, 202, JSON.stringify(byTag.body));
    assert.deepEqual(byTag.body, { cancelled: 2 });
    // A job asked to stop stays queued until its workflow takes the request: wait, so the next filter counts the rest.
    for (const id of ids.slice(0, 2)) assert.equal((await api.waitForJob(id)).status, 'cancelled');
    const byExperiment = await api.post('/v1/training-jobs/cancel', { experiment: 'nightly' });
    assert.deepEqual(byExperiment.body, { cancelled: 2 });
    for (const id of ids.slice(2)) assert.equal((await api.waitForJob(id)).status, 'cancelled');
    assert.equal((await api.get(`/v1/training-jobs/${other.body.id}`)).body.status, 'queued', 'another experiment’s job is left alone');
    assert.equal((await api.get(`/v1/training-jobs/${long.body.id}`)).body.status, 'running', 'queued is the default: the running job goes on');

    const runningOnes = await api.post('/v1/training-jobs/cancel', { status: 'running' });
    assert.deepEqual(runningOnes.body, { cancelled: 1 });
    const stopped = await api.waitForJob(long.body.id);
    assert.equal(stopped.status, 'cancelled');
    assert.equal(stopped.estimatedCompletionAt, null);
    assert.equal((await api.waitForJob(other.body.id)).status, 'completed', 'the slot went to the job left queued');

    const bad = await api.post('/v1/training-jobs/cancel', { status: 'completed', tag: 'nocolon' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort(), ['status', 'tag[0]']);
  });

  it('searches names, notes and error messages, case-insensitively and literally, through the trigram index', async () => {
    const submit = (body: Record<string, unknown>) => api.post('/v1/training-jobs', quickJob(datasetId, body));
    const holiday = await submit({ name: 'promo_model', notes: 'Trained for the HOLIDAY campaign' });
    const plain = await submit({ name: 'promoXmodel' });
    // Early stopping without a validation split: accepted at submit, failed by the pipeline with a message to find.
    const failing = await submit({ name: 'needs-validation', model: { type: 'xgboost', params: { numRounds: 5, earlyStoppingRounds: 3 } }, validation: { validationSize: 0 } });
    for (const res of [holiday, plain, failing]) assert.equal(res.status, 201, JSON.stringify(res.body));
    const failed = await api.waitForJob(failing.body.id);
    assert.equal(failed.status, 'failed', JSON.stringify(failed));

    const found = async (q: string) => (await api.get(`/v1/training-jobs?q=${encodeURIComponent(q)}&pageSize=100`)).body.items.map((j: { id: string }) => j.id).sort();
    assert.deepEqual(await found('holiday'), [holiday.body.id]);
    assert.deepEqual(await found('Validation SET'), [failed.id], failed.error.message);
    assert.deepEqual(await found('promo_'), [holiday.body.id], '"_" matches itself, not any character');
    assert.deepEqual(await found('promo'), [holiday.body.id, plain.body.id].sort());
    assert.deepEqual(await found('100%'), []);
    assert.equal((await api.get(`/v1/training-jobs?q=${'x'.repeat(201)}`)).status, 400);

    // The search's expression is the index's, so PostgreSQL can answer it from the index.
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      await client.query('set enable_seqscan = off');
      const plan = await client.query(`explain select id from training_jobs where ("name" || ' ' || coalesce("notes", '') || ' ' || coalesce("error"->>'message', '')) ilike '%holiday%'`);
      assert.match(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'), /training_jobs_search_index/);
    } finally {
      await client.end();
    }
  });
});
