import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FileObjectStore } from '@trainyard/storage';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { logMessages, waitUntil } from './support/jobs';
import { testS3 } from './support/s3';
import { sql } from './support/sql';
import { startTestStack, type TestStack } from './support/test-stack';
import { spawnWorker, type WorkerProcess } from './support/worker-process';

/** A TCP relay to the S3 server that the test can cut and restore: the worker reaches the store only through it. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server = null;
  }
}

describe('storage faults: an unreachable store, a corrupt object', () => {
  let stack: TestStack;
  let api: ApiClient;
  let relay: Relay;
  let worker: WorkerProcess | undefined;

  before(async () => {
    const s3 = testS3();
    stack = await startTestStack({ worker: false, config: { storageUrl: `${s3.url}/faults-${randomBytes(4).toString('hex')}` } });
    api = new ApiClient(stack.url, stack.adminToken);
    relay = new Relay(new URL(s3.endpoint));
    await relay.open();
    worker = spawnWorker(stack, { AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${relay.port}`, TRAINYARD_DATA_DIR: `${stack.config.dataDir}/worker` });
    await worker.ready;
  });
  after(async () => {
    await worker?.kill('SIGKILL');
    await relay?.cut();
    await stack?.stop();
  });

  it('keeps a job running while the store is unreachable, says why, and completes once it is back', async () => {
    const ds = await api.uploadDataset('faults', binaryCsv(300, 3));
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    await relay.cut();
    const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 5 } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    await waitUntil('the job to say it waits for the store', async () => (await logMessages(api, id)).find((l) => /waiting for the object store/.test(l.message)), 60_000);
    assert.equal((await api.get(`/v1/training-jobs/${id}`)).body.status, 'running');
    await relay.open();
    const job = await api.waitForJob(id, undefined, 120_000);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
  });
});

describe('storage faults: corrupt objects on the local store', () => {
  let stack: TestStack;
  let api: ApiClient;
  let store: FileObjectStore;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
    store = new FileObjectStore(fileURLToPath(stack.config.storageUrl));
  });
  after(() => stack?.stop());

  it('fails a job whose dataset file no longer matches its sha256 with ARTIFACT_CORRUPT, without retrying it', async () => {
    const ds = await api.uploadDataset('tampered', binaryCsv(300, 4));
    const [{ storage_key: key }] = await sql<{ storage_key: string }>(stack.db.url, 'select storage_key from datasets where id = $1', [ds.body.id]);
    await writeFile(store.localPath(key), binaryCsv(300, 5));
    const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 5 } } });
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'ARTIFACT_CORRUPT', JSON.stringify(job.error));
    const retried = (await logMessages(api, job.id)).filter((l) => /^retrying/.test(l.message));
    assert.deepEqual(retried, [], 'a corrupt object is not retried');
  });

  it('checks a served model against its sha256 when it loads it: a damaged artifact is a 409, never served', async () => {
    const ds = await api.uploadDataset('served', binaryCsv(300, 6));
    const created = await api.post('/v1/training-jobs', { name: 'guarded', datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 5 } } });
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    const [{ artifact }] = await sql<{ artifact: { key: string } }>(stack.db.url, `select artifact from model_versions where job_id = $1`, [job.id]);
    await writeFile(store.localPath(artifact.key), randomBytes(2000));
    const records = [{ id: 'a', age: 30, income: 1000, plan: 'pro', signup: '2024-03-01', active: true }];
    const res = await api.post('/v1/models/guarded/predict', { records });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'ARTIFACT_CORRUPT');
    const download = await api.get('/v1/models/guarded/versions/1/artifact');
    assert.equal(download.status, 409);
  });

  it('serves a version registered before the object store, adopting the plan file beside its ONNX file', async () => {
    const ds = await api.uploadDataset('legacy', binaryCsv(300, 7));
    const created = await api.post('/v1/training-jobs', { name: 'legacy', datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 5 } } });
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    // What the migration leaves for a version of the earlier release: its files under artifacts/, no plan recorded.
    const [{ artifact, plan }] = await sql<{ artifact: { key: string; sha256: string }; plan: { key: string } }>(stack.db.url, 'select artifact, plan from model_versions where job_id = $1', [job.id]);
    const legacy = `artifacts/${artifact.sha256.slice(0, 2)}/${artifact.sha256}`;
    await mkdir(dirname(store.localPath(`${legacy}.onnx`)), { recursive: true });
    await rename(store.localPath(artifact.key), store.localPath(`${legacy}.onnx`));
    await rename(store.localPath(plan.key), store.localPath(`${legacy}.plan.json`));
    await sql(stack.db.url, `update model_versions set artifact = jsonb_set(artifact, '{key}', to_jsonb($2::text)), plan = null where job_id = $1`, [job.id, `${legacy}.onnx`]);

    const records = [{ id: 'a', age: 30, income: 1000, plan: 'pro', signup: '2024-03-01', active: true }];
    const first = await api.post('/v1/models/legacy/predict', { records });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.ok(first.body.predictions[0].label !== undefined);
    const [{ plan: adopted }] = await sql<{ plan: { key: string; sha256: string } | null }>(stack.db.url, 'select plan from model_versions where job_id = $1', [job.id]);
    assert.equal(adopted?.key, `${legacy}.plan.json`, 'the plan is recorded with its digest');
    assert.match(adopted?.sha256 ?? '', /^[0-9a-f]{64}$/);
    const again = await api.post('/v1/models/legacy/predict', { records });
    assert.deepEqual(again.body.predictions, first.body.predictions);
  });
});
