import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { openObjectStore, type ObjectStore } from '@trainyard/storage';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { logMessages, longJob, waitForTraining, waitUntil } from './support/jobs';
import { testS3 } from './support/s3';
import { sql } from './support/sql';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { API_MAIN, WORKER_MAIN, spawnNode, type NodeProcess } from './support/worker-process';
import { freePort } from './support/temporal-dev-server';

/**
 * Which worker process ran each activity of a workflow, from its history: activity name → the pids of the workers
 * whose attempt finished it (a history records only an activity's last attempt), and the highest attempt seen.
 */
async function whoRan(temporal: TemporalClient, workflowId: string): Promise<Map<string, { pids: Set<number>; attempt: number }>> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  const names = new Map<string, string>();
  const ran = new Map<string, { pids: Set<number>; attempt: number }>();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) names.set(String(event.eventId), scheduled.activityType?.name ?? '?');
    const started = event.activityTaskStartedEventAttributes;
    if (started) {
      const name = names.get(String(started.scheduledEventId)) ?? '?';
      const entry = ran.get(name) ?? { pids: new Set<number>(), attempt: 0 };
      entry.pids.add(Number(started.identity?.split('@')[0]));
      entry.attempt = Math.max(entry.attempt, started.attempt ?? 1);
      ran.set(name, entry);
    }
  }
  return ran;
}

async function objectsUnder(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(o.key);
  return keys;
}

/**
 * The API, a CPU worker and a simulated GPU worker as separate processes, each with a private data dir: they
 * share only PostgreSQL, Temporal and the object store (SeaweedFS), as machines of a real deployment would.
 */
describe('multi-node: processes with private disks, sharing only PostgreSQL, Temporal and the object store', () => {
  let db: TestDatabase;
  let api: ApiClient;
  let temporal: TemporalClient;
  let connection: Connection;
  let store: ObjectStore;
  let common: NodeJS.ProcessEnv;
  const dirs: Record<string, string> = {};
  const processes: NodeProcess[] = [];
  let cpu: NodeProcess;
  let gpu: NodeProcess;
  let datasetId: string;

  const startWorker = async (name: string, env: Record<string, string>) => {
    dirs[name] ??= await mkdtemp(join(tmpdir(), `trainyard-node-${name}-`));
    // Checkpoints at every 25th round, so a kill mid-training always finds some to resume from.
    const worker = spawnNode(WORKER_MAIN, { ...common, TRAINYARD_DATA_DIR: dirs[name], TRAINYARD_CPU_SLOTS: '1', TRAINYARD_CHECKPOINT_SECONDS: '0', ...env }, /worker ready/);
    processes.push(worker);
    await worker.ready;
    return worker;
  };

  before(async () => {
    db = await createTestDatabase();
    const s3 = testS3();
    const storageUrl = `${s3.url}/multi-node-${randomBytes(4).toString('hex')}`;
    store = openObjectStore(storageUrl);
    const token = `ty_test_${randomBytes(16).toString('hex')}`;
    const port = await freePort();
    common = {
      ...process.env,
      DATABASE_URL: db.url,
      TRAINYARD_STORAGE_URL: storageUrl,
      TRAINYARD_QUEUE_PREFIX: `mn${randomBytes(3).toString('hex')}-`,
      TRAINYARD_ADMIN_TOKEN: token,
      TRAINYARD_DB_POOL_MAX: '4',
    };
    dirs.api = await mkdtemp(join(tmpdir(), 'trainyard-node-api-'));
    const server = spawnNode(API_MAIN, { ...common, TRAINYARD_DATA_DIR: dirs.api, TRAINYARD_PORT: String(port) }, /listening on/);
    processes.push(server);
    await server.ready;
    cpu = await startWorker('cpu', { TRAINYARD_WORKER_QUEUES: 'cpu' });
    gpu = await startWorker('gpu', { TRAINYARD_WORKER_QUEUES: 'gpu', TRAINYARD_FAKE_GPU: '1' });
    api = new ApiClient(`http://127.0.0.1:${port}`, token);
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    temporal = new TemporalClient({ connection, namespace: process.env.TEMPORAL_NAMESPACE || 'default' });
    const upload = await api.uploadDataset('multi-node', binaryCsv(3000, 91));
    assert.equal(upload.status, 201, JSON.stringify(upload.body));
    datasetId = upload.body.id;
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await connection?.close();
    await store?.deletePrefix('').catch(() => undefined);
    await store?.close();
    await db?.drop().catch(() => undefined);
    for (const dir of Object.values(dirs)) await rm(dir, { recursive: true, force: true });
  });

  it('prepares on the CPU worker, trains on the GPU worker, and the API serves the model', async () => {
    // The GPU worker advertises itself before the job is placed.
    await waitUntil('the GPU worker to be live', async () => (await sql(db.url, `select 1 from worker_heartbeats where device = 'gpu'`)).length > 0, 20_000);
    const created = await api.post('/v1/training-jobs', { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 30 } }, execution: { device: 'gpu' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const job = await api.waitForJob(created.body.id, undefined, 120_000);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.equal(job.device, 'gpu');

    const ran = await whoRan(temporal, job.workflowId);
    for (const step of ['loadFeatures', 'preprocess', 'evaluate', 'registerModel']) assert.deepEqual([...(ran.get(step)?.pids ?? [])], [cpu.child.pid], `${step} ran on the CPU worker`);
    assert.deepEqual([...(ran.get('train')?.pids ?? [])], [gpu.child.pid], 'train ran on the GPU worker');

    const records = [{ id: 'x', age: 40, income: 50000, plan: 'pro', signup: '2024-03-02', active: true }];
    const predicted = await api.post(`/v1/models/${job.modelVersion.name}/predict`, { records });
    assert.equal(predicted.status, 200, JSON.stringify(predicted.body));
    assert.equal(predicted.body.predictions.length, 1);
    const batch = await api.post(`/v1/models/${job.modelVersion.name}/batch-predict`, { datasetId });
    assert.equal(batch.status, 200);
    assert.equal(String(batch.body).trim().split('\n').length, 3001, 'a header and one line per row');
    assert.deepEqual(await objectsUnder(store, `jobs/${job.id}/`), [], "the job's intermediate objects went when it ended");
  });

  it('changes nothing when the workers lose their local disks between steps', async () => {
    const created = await api.post('/v1/training-jobs', { ...longJob(datasetId, 300), execution: { device: 'cpu', pipeline: 'staged' } });
    await waitForTraining(api, created.body.id);
    // The worker may be writing into its cache meanwhile (a file made after rm listed its folder): rm tries again.
    for (const name of ['cpu', 'gpu']) await rm(join(dirs[name], 'cache'), { recursive: true, force: true, maxRetries: 5 });
    const job = await api.waitForJob(created.body.id, undefined, 120_000);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
  });

  it('resumes a training killed with SIGKILL on the other worker, from the checkpoint in the store', async () => {
    // Both workers now serve the CPU queue, so either can take over the other's step.
    await gpu.kill('SIGTERM');
    gpu = await startWorker('gpu', { TRAINYARD_WORKER_QUEUES: 'cpu,gpu', TRAINYARD_FAKE_GPU: '1' });
    const created = await api.post('/v1/training-jobs', { ...longJob(datasetId, 1500), execution: { device: 'cpu', pipeline: 'staged' } });
    const id = created.body.id;
    await waitForTraining(api, id);
    await waitUntil('a checkpoint in heartbeat details', async () => (await logMessages(api, id)).length > 0 && (await trainingRounds(api, id)) >= 60, 60_000);
    const pending = await temporal.workflow.getHandle(created.body.workflowId).describe();
    const trainer = Number(pending.raw.pendingActivities?.find((a) => a.activityType?.name === 'train')?.lastWorkerIdentity?.split('@')[0]);
    const victim = [cpu, gpu].find((p) => p.child.pid === trainer);
    assert.ok(victim, `the training worker (pid ${trainer}) is one of ours`);
    const survivor = victim === cpu ? gpu : cpu;
    await victim.kill('SIGKILL');
    try {
      const job = await api.waitForJob(id, undefined, 180_000);
      assert.equal(job.status, 'completed', JSON.stringify(job.error));
      const versions = await sql(db.url, `select version from model_versions where job_id = $1`, [id]);
      assert.equal(versions.length, 1, 'one model version');
      const messages = (await logMessages(api, id)).map((l) => l.message);
      assert.ok(messages.some((m) => m.startsWith('resuming training from the last checkpoint')), messages.join('\n'));
      const train = (await whoRan(temporal, created.body.workflowId)).get('train');
      assert.deepEqual([...(train?.pids ?? [])], [survivor.child.pid], 'the other worker finished the train step');
      assert.ok((train?.attempt ?? 0) >= 2, 'on a second attempt');
    } finally {
      // The killed worker comes back for what follows.
      if (victim === cpu) cpu = await startWorker('cpu', { TRAINYARD_WORKER_QUEUES: 'cpu' });
      else gpu = await startWorker('gpu', { TRAINYARD_WORKER_QUEUES: 'cpu,gpu', TRAINYARD_FAKE_GPU: '1' });
    }
  });

  it("spreads a study's trials over both workers and registers its best trial", async () => {
    const created = await api.post('/v1/studies', {
      name: 'spread',
      job: { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 40 } }, execution: { device: 'cpu' } },
      searchSpace: { maxDepth: { type: 'int', low: 2, high: 6 } },
      objective: { metric: 'rocAuc', direction: 'maximize' },
      trials: 8,
      parallelism: 2,
      sampler: 'random',
      seed: 4,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const study = await waitUntil('the study to end', async () => {
      const s = (await api.get(`/v1/studies/${created.body.id}`)).body;
      return s.status === 'running' ? null : s;
    }, 180_000);
    assert.equal(study.status, 'completed', JSON.stringify(study));
    assert.equal(study.trialsCompleted, 8);
    assert.ok(study.bestTrial.modelVersion, 'the best trial became a model version');
    const ran = await whoRan(temporal, study.workflowId);
    assert.equal(ran.get('runTrial')?.pids.size, 2, `trials ran on ${[...(ran.get('runTrial')?.pids ?? [])]}`);
    assert.deepEqual(await objectsUnder(store, `studies/${study.id}/`), [], "the study's shared objects went when it ended");
  });

  it('runs retention against the shared store', async () => {
    const run = await api.post('/v1/admin/retention/run');
    assert.equal(run.status, 201, JSON.stringify(run.body));
    assert.equal(typeof run.body.objectsDeleted, 'number');
    assert.deepEqual(await objectsUnder(store, 'jobs/'), [], 'no job left intermediate objects behind');
    assert.ok((await objectsUnder(store, 'models/')).length >= 2, 'model artifacts stay');
  });
});

async function trainingRounds(api: ApiClient, id: string): Promise<number> {
  const res = await api.get(`/v1/training-jobs/${id}/metrics`);
  return res.body.series?.['train.logLoss']?.length ?? 0;
}
