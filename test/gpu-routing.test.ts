import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '@trainyard/config';
import type { GpuCapability } from '../activities';
import { detectGpu } from '../apps/worker/src/gpu-capability';
import { computeQueues, type WorkerRuntime } from '../apps/worker/src/worker-runtime';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { logMessages, quickJob, sleep, waitUntil } from './support/jobs';
import { sql } from './support/sql';
import { startTestStack, type TestStack } from './support/test-stack';

const FAKE_GPU: GpuCapability = { available: true, simulated: true, name: 'fake' };
const NO_GPU: GpuCapability = { available: false, simulated: false, name: null };

describe('worker queues and GPU detection', () => {
  it('serves the GPU queue only where a GPU was found', () => {
    const config = { ...loadConfig({}), workerQueues: ['cpu', 'gpu'] as ('cpu' | 'gpu')[], cpuSlots: 3, gpuSlots: 2 };
    const warnings: string[] = [];
    assert.deepEqual(computeQueues(config, NO_GPU, (m) => warnings.push(m)), [{ device: 'cpu', slots: 3 }]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /no GPU/);
    assert.deepEqual(computeQueues(config, FAKE_GPU, (m) => warnings.push(m)), [{ device: 'cpu', slots: 3 }, { device: 'gpu', slots: 2 }]);
    assert.deepEqual(computeQueues({ ...config, workerQueues: ['gpu'] }, NO_GPU, () => undefined), [], 'a GPU-only worker without a GPU serves no compute queue');
    assert.deepEqual(computeQueues({ ...config, workerQueues: ['gpu'] }, FAKE_GPU, () => undefined), [{ device: 'gpu', slots: 2 }]);
    assert.equal(warnings.length, 1, 'no warning when the GPU is there');
  });

  it('detects a GPU from the driver probe', () => {
    assert.deepEqual(detectGpu(false, () => { throw new Error('nvidia-smi: not found'); }), NO_GPU);
    assert.deepEqual(detectGpu(false, () => ''), NO_GPU);
    assert.deepEqual(detectGpu(false, () => 'NVIDIA A100-SXM4-40GB\nNVIDIA A100-SXM4-40GB\n'), { available: true, simulated: false, name: 'NVIDIA A100-SXM4-40GB' });
    const fake = detectGpu(true, () => { throw new Error('never probed'); });
    assert.equal(fake.available, true);
    assert.equal(fake.simulated, true);
  });
});

describe('GPU routing (real Temporal, real PostgreSQL)', () => {
  let stack: TestStack;
  let api: ApiClient;
  let datasetId: string;
  let gpuWorker: WorkerRuntime | undefined;

  const liveQueues = async () =>
    (await sql<{ task_queue: string }>(stack.config.databaseUrl, `select task_queue from worker_heartbeats where last_seen_at > now() - interval '20 seconds'`)).map((r) => r.task_queue);
  const gpuQueue = () => `${stack.config.queuePrefix}trainyard-gpu`;
  const cpuQueue = () => `${stack.config.queuePrefix}trainyard-cpu`;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
    datasetId = (await api.uploadDataset('routing', binaryCsv(200, 31))).body.id;
    await waitUntil('the CPU worker to advertise itself', async () => (await liveQueues()).includes(cpuQueue()), 15_000);
  });
  after(() => stack?.stop());

  it('falls back to the CPU when a GPU is asked for but no GPU worker is live', async () => {
    assert.ok(!(await liveQueues()).includes(gpuQueue()));
    const created = await api.post('/v1/training-jobs', quickJob(datasetId, { execution: { device: 'gpu', requireGpu: false } }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.equal(job.device, 'cpu');
    const logs = await logMessages(api, job.id);
    assert.ok(logs.some((l) => l.level === 'warn' && /falling back to CPU/i.test(l.message)), logs.map((l) => `${l.level} ${l.message}`).join('\n'));
  });

  it('holds a job that requires a GPU until a GPU worker arrives, then runs it there', async () => {
    const created = await api.post('/v1/training-jobs', quickJob(datasetId, { execution: { device: 'gpu', requireGpu: true } }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    await waitUntil('the waiting-for-GPU log line', async () => (await logMessages(api, id)).find((l) => l.level === 'warn' && /waiting for a GPU worker/.test(l.message)), 20_000);
    for (let i = 0; i < 8; i++) {
      await sleep(250);
      const job = (await api.get(`/v1/training-jobs/${id}`)).body;
      assert.equal(job.status, 'queued', `poll ${i}: ${JSON.stringify(job)}`);
      assert.equal(job.startedAt, null);
    }

    gpuWorker = await stack.startWorker({ workerQueues: ['gpu'] }, FAKE_GPU);
    assert.deepEqual(gpuWorker.queues, [{ device: 'gpu', slots: stack.config.gpuSlots }]);
    const job = await api.waitForJob(id, undefined, 60_000);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.equal(job.device, 'gpu');
    const logs = await logMessages(api, id);
    assert.ok(logs.some((l) => /simulated GPU/.test(l.message)), 'the simulated GPU trains on the CPU and says so');
  });

  it('places device auto on the GPU while a GPU worker is live, and on the CPU once it stops', async () => {
    assert.ok(gpuWorker, 'the previous case started a GPU worker');
    await waitUntil('the GPU worker to advertise itself', async () => (await liveQueues()).includes(gpuQueue()), 15_000);
    const onGpu = await api.post('/v1/training-jobs', quickJob(datasetId, { execution: { device: 'auto', requireGpu: false } }));
    const gpuJob = await api.waitForJob(onGpu.body.id);
    assert.equal(gpuJob.status, 'completed', JSON.stringify(gpuJob.error));
    assert.equal(gpuJob.device, 'gpu');
    assert.ok((await logMessages(api, gpuJob.id)).some((l) => l.message.startsWith('placed on the GPU queue')));

    // The simulated GPU stands for a CUDA XGBoost beside a CPU-only LightGBM: it advertises xgboost alone, and auto
    // keeps every other family on the CPU queue while the GPU worker is live.
    const [advert] = await sql<{ gpu_families: string[] }>(stack.config.databaseUrl, `select gpu_families from worker_heartbeats where task_queue = $1`, [gpuQueue()]);
    assert.deepEqual(advert.gpu_families, ['xgboost']);
    const others = await Promise.all(
      [{ type: 'linear' }, { type: 'lightgbm', params: { numRounds: 5 } }, { type: 'mlp', params: { hiddenLayers: [4], epochs: 2 } }].map((model) =>
        api.post('/v1/training-jobs', { datasetId, target: 'label', exclude: ['id'], model, execution: { device: 'auto', requireGpu: false } }),
      ),
    );
    for (const created of others) {
      const job = await api.waitForJob(created.body.id);
      assert.equal(job.status, 'completed', JSON.stringify(job.error));
      assert.equal(job.device, 'cpu', `${job.model.type} stays on the CPU`);
      const said = (await logMessages(api, job.id)).map((l) => l.message);
      assert.ok(said.includes(`placed on the CPU queue: no live GPU worker can train ${job.model.type} on its GPU`), said.join('\n'));
    }

    await gpuWorker.stop();
    stack.workers.splice(stack.workers.indexOf(gpuWorker), 1);
    assert.ok(!(await liveQueues()).includes(gpuQueue()), 'a stopped worker removes its advertisement');
    assert.ok((await liveQueues()).includes(cpuQueue()), 'the CPU worker in the same process keeps its advertisement');

    const onCpu = await api.post('/v1/training-jobs', quickJob(datasetId, { execution: { device: 'auto', requireGpu: false } }));
    const cpuJob = await api.waitForJob(onCpu.body.id);
    assert.equal(cpuJob.status, 'completed', JSON.stringify(cpuJob.error));
    assert.equal(cpuJob.device, 'cpu');
  });
});
