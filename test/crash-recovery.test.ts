import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { logMessages, longJob, seriesLength, waitForTraining, waitUntil } from './support/jobs';
import { sql } from './support/sql';
import { startTestStack, type TestStack } from './support/test-stack';
import { spawnWorker, type WorkerProcess } from './support/worker-process';

const ROUNDS = 2000;
/** Checkpoints at every 25th round, so the kill below always finds some. */
const EVERY_CHECKPOINT = { TRAINYARD_CHECKPOINT_SECONDS: '0' };

describe('crash recovery: a worker killed mid-training', () => {
  let stack: TestStack;
  let api: ApiClient;
  const children: WorkerProcess[] = [];

  before(async () => {
    stack = await startTestStack({ worker: false });
    api = new ApiClient(stack.url, stack.adminToken);
  });
  after(async () => {
    await Promise.all(children.map((c) => c.kill('SIGKILL')));
    await stack?.stop();
  });

  it('retries the train step on another worker, resumes from the checkpoint and registers exactly one model version', async () => {
    const first = spawnWorker(stack, EVERY_CHECKPOINT);
    children.push(first);
    await first.ready;
    const ds = await api.uploadDataset('crash', binaryCsv(5000, 41));
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    const created = await api.post('/v1/training-jobs', longJob(ds.body.id, ROUNDS));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;

    const training = await waitForTraining(api, id);
    // Past a few checkpoints (every 25 rounds) and still moving.
    await waitUntil('100 rounds of metrics', async () => (await seriesLength(api, id)) >= 100, 60_000);
    const rising = await waitUntil('progress to rise', async () => {
      const job = (await api.get(`/v1/training-jobs/${id}`)).body;
      return job.progress > training.progress ? job : null;
    });
    assert.equal(rising.status, 'running');
    assert.ok(rising.progress < 0.8, `still mid-training at ${rising.progress}`);

    const killedAt = Date.now();
    assert.equal(await first.kill('SIGKILL'), 'SIGKILL');
    const roundsBeforeCrash = await seriesLength(api, id);
    assert.ok(roundsBeforeCrash < ROUNDS, `${roundsBeforeCrash} rounds before the crash`);

    const second = spawnWorker(stack, EVERY_CHECKPOINT);
    children.push(second);
    await second.ready;

    const job = await api.waitForJob(id, ['completed', 'failed', 'cancelled'], 150_000);
    const recoveredAfter = Date.now() - killedAt;
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.deepEqual(job.modelVersion, { name: job.name, version: 1 });
    const rows = await sql(stack.config.databaseUrl, `select version from model_versions where job_id = $1`, [id]);
    assert.deepEqual(rows, [{ version: 1 }], 'one model version for the job');

    const logs = await logMessages(api, id);
    const messages = logs.map((l) => l.message);
    assert.ok(messages.some((m) => /^retrying train \(attempt [2-9]\)/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('resuming training from the last checkpoint')), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith(`trained ${ROUNDS} rounds`)), messages.join('\n'));

    const series = (await api.get(`/v1/training-jobs/${id}/metrics`)).body.series['train.logLoss'] as { step: number; ts: string }[];
    assert.ok(series.length <= ROUNDS, `${series.length} points for ${ROUNDS} rounds`);
    assert.equal(new Set(series.map((p) => p.step)).size, series.length, 'each round recorded once');
    assert.ok(Date.parse(series[0]!.ts) < killedAt, 'round 1 was not trained again: the retry resumed from the checkpoint');
    console.log(`recovered ${recoveredAfter} ms after the kill; ${roundsBeforeCrash} rounds before it`);
  });

  it('says a gracefully stopped worker hands its step back to be retried, not that the job was cancelled', async () => {
    // Only the worker this case stops may pick the job up.
    await Promise.all(children.splice(0).map((c) => c.kill('SIGKILL')));
    const first = spawnWorker(stack, EVERY_CHECKPOINT);
    children.push(first);
    await first.ready;
    const ds = await api.uploadDataset('graceful', binaryCsv(5000, 42));
    const created = await api.post('/v1/training-jobs', longJob(ds.body.id, 20_000));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    await waitForTraining(api, id);
    await waitUntil('50 rounds of metrics', async () => (await seriesLength(api, id)) >= 50, 60_000);

    assert.equal(await first.kill('SIGTERM'), 0, first.output());
    assert.match(first.output(), /SIGTERM: stopping; .*retried on another worker/);
    const messages = (await logMessages(api, id)).map((l) => `${l.level} ${l.message}`);
    assert.ok(messages.some((m) => /^warn training stopped at round \d+: the worker is shutting down; the step will be retried on another worker, resuming from the checkpoint at round \d+$/.test(m)), messages.join('\n') + '\n--- worker:\n' + first.output());
    assert.ok(!messages.some((m) => /cancel/i.test(m)), messages.join('\n'));
    const job = (await api.get(`/v1/training-jobs/${id}`)).body;
    assert.ok(['running', 'queued'].includes(job.status), `the job goes on: ${job.status}`);

    // And it is retried: another worker picks the step up from the checkpoint.
    const second = spawnWorker(stack, EVERY_CHECKPOINT);
    children.push(second);
    await second.ready;
    await waitUntil('the retry to resume from the checkpoint', async () => (await logMessages(api, id)).some((l) => l.message.startsWith('resuming training from the last checkpoint')), 60_000);
    assert.equal((await api.post(`/v1/training-jobs/${id}/cancel`)).status, 202);
    assert.equal((await api.waitForJob(id)).status, 'cancelled');
  });
});
