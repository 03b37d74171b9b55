import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LISTENER_APPLICATION_NAME } from '../apps/api/src/live/live-listener';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { longJob, waitUntil } from './support/jobs';
import { sql } from './support/sql';
import { openSse, type SseEvent } from './support/sse';
import { startTestStack, type TestStack } from './support/test-stack';

const ofType = (events: SseEvent[], type: string) => events.filter((e) => e.event === type);

describe('live streams: job and study events over LISTEN/NOTIFY', () => {
  let stack: TestStack;
  let api: ApiClient;
  let datasetId: string;
  let other: ApiClient;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
    datasetId = (await api.uploadDataset('live', binaryCsv(1500, 31))).body.id;
    other = api.as((await api.post('/v1/tenants', { name: 'elsewhere' })).body.adminToken.token);
  });
  after(() => stack?.stop());

  const streamUrl = (id: string, query = '') => `${stack.url}/v1/training-jobs/${id}/logs${query}`;

  it('streams a real job: logs, rising progress, one metric event per round, then end', async () => {
    const rounds = 120;
    const created = await api.post('/v1/training-jobs', { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: rounds, maxDepth: 3 } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const stream = await openSse(streamUrl(created.body.id), stack.adminToken);
    assert.equal(stream.status, 200);
    await stream.done;

    const { events } = stream;
    assert.equal(events.at(-1)?.event, 'end', events.map((e) => e.event).join(','));
    assert.deepEqual(events.at(-1)?.data, { status: 'completed', error: null });
    assert.equal(ofType(events, 'end').length, 1);

    const progress = ofType(events, 'progress').map((e) => e.data);
    assert.ok(progress.length >= 3, JSON.stringify(progress));
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress >= progress[i - 1].progress, 'progress never goes back');
    assert.deepEqual(progress.at(-1), { progress: 1, stage: 'register', status: 'completed' });
    assert.ok(progress.some((p) => p.stage === 'train' && p.progress > 0 && p.progress < 1), 'progress seen during training');

    const train = ofType(events, 'metric').filter((e) => e.data.name === 'train.logLoss');
    assert.deepEqual(train.map((e) => e.data.step), Array.from({ length: rounds }, (_, i) => i + 1), 'one train.logLoss event per round, in order');
    const recorded = (await api.get(`/v1/training-jobs/${created.body.id}/metrics`)).body.series;
    assert.deepEqual(train.map((e) => e.data.value), recorded['train.logLoss'].map((p: { value: number }) => p.value));
    assert.ok(ofType(events, 'metric').some((e) => e.data.name === 'validation.logLoss'));

    const logs = ofType(events, 'log').map((e) => e.data.message as string);
    assert.ok(logs.some((m) => m.startsWith('job queued by')), logs.join('\n'));
    assert.ok(logs.some((m) => /^trained \d+ rounds/.test(m)), logs.join('\n'));

    // Resuming from the 40th metric event replays exactly what followed it, and nothing before.
    const cut = ofType(events, 'metric')[39];
    const resumed = await openSse(streamUrl(created.body.id), stack.adminToken, { 'last-event-id': cut.id! });
    await resumed.done;
    const later = events.slice(events.indexOf(cut) + 1);
    for (const type of ['metric', 'log']) {
      assert.deepEqual(ofType(resumed.events, type).map((e) => e.data), ofType(later, type).map((e) => e.data), `${type} events after the resume point`);
    }
    assert.equal(resumed.events.at(-1)?.event, 'end');
  });

  it('answers another tenant with 404 for job and study streams', async () => {
    const created = await api.post('/v1/training-jobs', { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 5 } } });
    const denied = await openSse(streamUrl(created.body.id), other.token!);
    assert.equal(denied.status, 404);
    assert.equal(denied.body.error.code, 'JOB_NOT_FOUND');
    const study = await api.post('/v1/studies', {
      name: 'private',
      job: { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 5 } } },
      searchSpace: { maxDepth: { type: 'int', low: 2, high: 3 } },
      objective: { metric: 'rocAuc' },
      trials: 1,
    });
    assert.equal(study.status, 201, JSON.stringify(study.body));
    const deniedStudy = await openSse(`${stack.url}/v1/studies/${study.body.id}/events`, other.token!);
    assert.equal(deniedStudy.status, 404);
    assert.equal(deniedStudy.body.error.code, 'STUDY_NOT_FOUND');
    await api.waitForJob(created.body.id);
  });

  it('serves N streams of one job over one listening connection, all ending together', async () => {
    const created = await api.post('/v1/training-jobs', longJob(datasetId, 100_000));
    const id = created.body.id;
    const listeners = async () =>
      (await sql<{ pid: number }>(stack.db.url, `select pid from pg_stat_activity where datname = current_database() and application_name = $1`, [LISTENER_APPLICATION_NAME])).map((r) => r.pid);
    const streams = [await openSse(streamUrl(id), stack.adminToken)];
    await streams[0].waitFor((e) => e.event === 'metric');
    assert.equal((await listeners()).length, 1);
    for (let i = 0; i < 7; i++) streams.push(await openSse(streamUrl(id), stack.adminToken));
    await Promise.all(streams.map((s) => s.waitFor((e) => e.event === 'metric' && e.data.step > 50, 60_000)));
    const [first, ...more] = await listeners();
    assert.deepEqual(more, [], 'eight streams, one LISTEN connection');

    // The listening connection dies: the streams carry on (the API reconnects while they watch, then reads what it
    // missed) and still see the end.
    await sql(stack.db.url, `select pg_terminate_backend($1)`, [first]);
    await waitUntil('the listener reconnected', async () => {
      const pids = await listeners();
      return pids.length === 1 && pids[0] !== first;
    }, 15_000, 100);
    assert.equal((await api.post(`/v1/training-jobs/${id}/cancel`)).status, 202);
    await Promise.all(streams.map((s) => s.done));
    for (const s of streams) assert.deepEqual(s.events.at(-1)?.data, { status: 'cancelled', error: null });
    // Every stream saw the same metric events from the point it joined.
    const last = streams.map((s) => ofType(s.events, 'metric').at(-1)?.id);
    assert.equal(new Set(last).size, 1, JSON.stringify(last));
  });

  it('streams a study: trials starting and finishing, intermediate values, progress and end', async () => {
    const created = await api.post('/v1/studies', {
      name: 'live-study',
      job: { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 20 } } },
      searchSpace: { maxDepth: { type: 'int', low: 2, high: 5 } },
      objective: { metric: 'rocAuc', direction: 'maximize' },
      trials: 3,
      parallelism: 1,
      sampler: 'random',
      seed: 3,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const stream = await openSse(`${stack.url}/v1/studies/${created.body.id}/events`, stack.adminToken);
    assert.equal(stream.status, 200);
    await stream.done;
    const { events } = stream;
    assert.equal(events.at(-1)?.event, 'end');
    assert.equal(events.at(-1)?.data.status, 'completed');

    const trials = ofType(events, 'trial').map((e) => e.data);
    for (const n of [0, 1, 2]) {
      const mine = trials.filter((t) => t.number === n);
      assert.equal(mine.at(-1)?.status, 'completed', JSON.stringify(mine));
      assert.equal(typeof mine.at(-1)?.value, 'number');
    }
    assert.ok(trials.some((t) => t.status === 'running'), 'a trial is seen starting');
    const intermediate = ofType(events, 'intermediate').map((e) => e.data);
    assert.ok(intermediate.some((p) => p.name === 'validation.logLoss' && p.step === 20), JSON.stringify(intermediate.slice(0, 3)));
    const progress = ofType(events, 'progress').map((e) => e.data);
    assert.equal(progress.at(-1).trialsCompleted, 3);
    assert.equal(progress.at(-1).progress, 1);
    const best = Math.max(...trials.filter((t) => t.status === 'completed').map((t) => t.value));
    assert.equal(progress.at(-1).best.value, best);
  });
});
