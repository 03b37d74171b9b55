import { join } from 'node:path';
import { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { TrainyardConfig } from '@trainyard/config';
import { ormConfig } from '@trainyard/db';
import { openStorage } from '@trainyard/storage';
import { createTemporalClient, createWorkerSet, type ComputeQueueSpec, type WorkerSet } from '@trainyard/temporal';
import { createControlActivities, createPipelineActivities, createRetentionActivities, createScheduleActivities, createStudyActivities, createWebhookActivities, type GpuCapability } from '../../../activities';
import { computeQueue } from '@trainyard/contracts';
import { detectGpu, gpuFamilies } from './gpu-capability';
import { BusySlots, startPresence } from './worker-presence';

export interface WorkerRuntime {
  workers: WorkerSet;
  gpu: GpuCapability;
  queues: ComputeQueueSpec[];
  /** Resolves when the workers stop. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export const WORKFLOWS_PATH = join(__dirname, '..', '..', '..', 'workflows');

/** Which compute queues this worker serves: GPU only where a GPU was found. */
export function computeQueues(config: TrainyardConfig, gpu: GpuCapability, warn: (m: string) => void = console.warn): ComputeQueueSpec[] {
  const queues: ComputeQueueSpec[] = [];
  if (config.workerQueues.includes('cpu')) queues.push({ device: 'cpu', slots: config.cpuSlots });
  if (config.workerQueues.includes('gpu')) {
    if (gpu.available) queues.push({ device: 'gpu', slots: config.gpuSlots });
    else warn('TRAINYARD_WORKER_QUEUES names gpu but no GPU was detected; not serving the GPU queue');
  }
  return queues;
}

export async function startWorkerRuntime(config: TrainyardConfig, options: { gpu?: GpuCapability } = {}): Promise<WorkerRuntime> {
  const gpu = options.gpu ?? detectGpu(config.fakeGpu);
  const orm = await MikroORM.init(ormConfig({ databaseUrl: config.databaseUrl, poolMax: config.dbPoolMax }));
  const storage = openStorage({ url: config.storageUrl, cacheDir: join(config.cacheDir, 'worker'), cacheBytes: config.cacheBytes });
  let temporal: Client | undefined;
  try {
    temporal = await createTemporalClient({ address: config.temporalAddress, namespace: config.temporalNamespace });
    const deps = { orm, config, temporal, gpu, storage: storage.storage };
    const queues = computeQueues(config, gpu);
    const busy = new BusySlots();
    const pipeline = createPipelineActivities(deps);
    const workers = await createWorkerSet({
      address: config.temporalAddress,
      namespace: config.temporalNamespace,
      queuePrefix: config.queuePrefix,
      workflowsPath: WORKFLOWS_PATH,
      controlActivities: { ...createControlActivities(deps), ...createWebhookActivities(deps), ...createScheduleActivities(deps), ...createRetentionActivities(deps), ...createStudyActivities(deps) },
      computeActivities: (device) => busy.track(device, pipeline),
      computeQueues: queues,
    });
    const presence = startPresence(orm, queues, (d) => computeQueue(d, config.queuePrefix), busy, { name: gpu.name, families: await gpuFamilies(gpu) });
    const done = workers.run();
    const client = temporal;
    return {
      workers,
      gpu,
      queues,
      done,
      async stop() {
        await presence.stop();
        await workers.shutdown();
        await client.connection.close();
        await orm.close(true);
        await storage.release();
      },
    };
  } catch (err) {
    await temporal?.connection.close();
    await orm.close(true);
    await storage.release();
    throw err;
  }
}
