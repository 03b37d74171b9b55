import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './support/http';
import { binaryCsv } from './support/datasets';
import { sleep, waitUntil } from './support/jobs';
import { startTestStack, type TestStack } from './support/test-stack';

describe('schedules: Temporal Schedules, newest dataset version, promotion', () => {
  let stack: TestStack;
  let api: ApiClient;
  let datasetId: string;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
    datasetId = (await api.uploadDataset('nightly', binaryCsv(300, 51))).body.id;
  });
  after(() => stack?.stop());

  const job = (name: string) => ({ name, datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 10 } } });

  /** Triggers a run and waits for the job it creates to finish, and for its promotion decision. */
  async function run(id: string, known: number): Promise<any> {
    assert.equal((await api.post(`/v1/schedules/${id}/trigger`)).status, 202);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const s = (await api.get(`/v1/schedules/${id}`)).body;
      const newest = s.recentJobs.length > known ? s.recentJobs[0] : null;
      if (newest && ['completed', 'failed', 'cancelled'].includes(newest.status) && (newest.status !== 'completed' || newest.promotion)) return newest;
      if (Date.now() > deadline) throw new Error(`no finished run: ${JSON.stringify(s.recentJobs)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  it('validates schedules field by field', async () => {
    const bad = await api.post('/v1/schedules', { name: 'x', cron: 'every night', timezone: 'Mars/Olympus', job: { target: 'label', model: { type: 'xgboost' } }, promote: { metric: 'beauty' } });
    assert.equal(bad.status, 400);
    const fields = bad.body.error.details.fields.map((f: any) => f.field);
    for (const f of ['cron', 'timezone', 'promote.metric', 'job.datasetId']) assert.ok(fields.includes(f), `${f} in ${fields}`);
    assert.equal((await api.post('/v1/schedules', { name: 'x', cron: '0 3 * * *', intervalSeconds: 3600, job: job('x') })).status, 400);
    assert.equal((await api.get('/v1/schedules/00000000-0000-4000-8000-000000000000')).body.error.code, 'SCHEDULE_NOT_FOUND');
  });

  it('computes next runs in the schedule’s time zone, pauses, resumes and deletes', async () => {
    const created = await api.post('/v1/schedules', { name: 'paris', cron: '0 3 * * *', timezone: 'Europe/Paris', job: job('paris-model') });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.ok(created.body.nextRuns.length >= 2);
    for (const next of created.body.nextRuns) {
      const parisHour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hour12: false }).format(new Date(next));
      assert.equal(parisHour, '03', next);
    }
    assert.equal((await api.post(`/v1/schedules/${created.body.id}/pause`)).body.paused, true);
    assert.equal((await api.post(`/v1/schedules/${created.body.id}/resume`)).body.paused, false);
    assert.equal((await api.delete(`/v1/schedules/${created.body.id}`)).status, 204);
    assert.equal((await api.get(`/v1/schedules/${created.body.id}`)).status, 404);
  });

  it('refuses a trigger while a run is going under overlap skip, and starts one the moment it ends', async () => {
    const slow = (await api.post('/v1/schedules', { name: 'slow', intervalSeconds: 86_400, job: { ...job('slow-model'), model: { type: 'xgboost', params: { numRounds: 50000 } } } })).body;
    assert.equal((await api.post(`/v1/schedules/${slow.id}/trigger`)).status, 202);
    const going = await waitUntil('the run’s job', async () => (await api.get(`/v1/schedules/${slow.id}`)).body.recentJobs[0] ?? null);
    const again = await api.post(`/v1/schedules/${slow.id}/trigger`);
    assert.equal(again.status, 409, JSON.stringify(again.body));
    assert.equal(again.body.error.code, 'SCHEDULE_RUN_IN_PROGRESS');
    assert.equal(again.body.error.details.jobId, going.id);
    assert.equal((await api.post(`/v1/training-jobs/${going.id}/cancel`)).status, 202);
    await waitUntil('the job cancelled', async () => (await api.get(`/v1/training-jobs/${going.id}`)).body.status === 'cancelled');
    // Temporal names a scheduled run by the second it starts in, so two runs in one second would share a workflow id:
    // trigger the next one a second after the first run's job was made (which is after its run started).
    await sleep(Math.max(0, Date.parse(going.createdAt) + 1100 - Date.now()));
    // Temporal's scheduler may not know yet that the run ended; the trigger must not be lost to that.
    assert.equal((await api.post(`/v1/schedules/${slow.id}/trigger`)).status, 202);
    const second = await waitUntil('a second run', async () => {
      const jobs = (await api.get(`/v1/schedules/${slow.id}`)).body.recentJobs;
      return jobs.length === 2 ? jobs[0] : null;
    });
    assert.notEqual(second.id, going.id);
    // Leave the worker free for the next test.
    assert.equal((await api.post(`/v1/training-jobs/${second.id}/cancel`)).status, 202);
    assert.equal((await api.delete(`/v1/schedules/${slow.id}`)).status, 204);
  });

  it('trains on the newest dataset version and promotes only on enough improvement', async () => {
    const eager = (await api.post('/v1/schedules', { name: 'eager', intervalSeconds: 86_400, job: job('eager-model'), promote: { alias: 'production', metric: 'rocAuc', minImprovement: -1 } })).body;
    const strict = (await api.post('/v1/schedules', { name: 'strict', intervalSeconds: 86_400, job: job('strict-model'), promote: { alias: 'production', metric: 'rocAuc', minImprovement: 1 } })).body;

    const first = await run(strict.id, 0);
    assert.equal(first.status, 'completed', JSON.stringify(first.error));
    assert.equal(first.scheduleId, strict.id);
    assert.equal(first.datasetId, datasetId);
    assert.equal(first.promotion.promoted, true, 'an empty alias is always filled');
    assert.equal(first.deploymentReady, true);
    assert.deepEqual((await api.get('/v1/models/strict-model')).body.aliases, { production: 1 });

    const v2 = await api.uploadDataset('nightly', binaryCsv(320, 52));
    assert.equal(v2.body.version, 2);
    const second = await run(strict.id, 1);
    assert.equal(second.datasetId, v2.body.id, 'each run takes the newest version of the dataset');
    assert.equal(second.promotion.promoted, false);
    assert.equal(second.deploymentReady, false);
    assert.equal(typeof second.performanceImprovement, 'number');
    assert.deepEqual((await api.get('/v1/models/strict-model')).body.aliases, { production: 1 }, 'the alias stays');

    await run(eager.id, 0);
    const eagerSecond = await run(eager.id, 1);
    assert.equal(eagerSecond.promotion.promoted, true);
    assert.equal(eagerSecond.promotion.previousVersion, 1);
    assert.deepEqual((await api.get('/v1/models/eager-model')).body.aliases, { production: 2 });
    const events = (await api.get('/v1/events?type=model.promoted')).body.items;
    assert.ok(events.some((e: any) => e.data.modelName === 'eager-model' && e.data.modelVersion === 2 && e.data.previousVersion === 1));
    const audit = (await api.get('/v1/models/eager-model/alias-events')).body.items;
    assert.equal(audit[0].actor, 'schedule:eager');
  });
});
