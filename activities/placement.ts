import { GPU_QUEUE, computeQueue, queueName, type Device, type ModelType, type PipelineMode, type ResolveDeviceInput, type ResolveDeviceResult } from '@trainyard/contracts';
import type { ActivityDeps } from './activity-deps';

export const LIVE_WINDOW_SECONDS = 20;

type Say = (level: 'info' | 'warn', message: string) => Promise<void>;
type Placement = Omit<ResolveDeviceResult, 'pipeline'>;

/** What a placement needs: the job's execution settings and the model families it may train (none: any family). */
export type PlacementInput = Omit<ResolveDeviceInput, 'jobId' | 'pipeline'> & { modelTypes?: readonly ModelType[] };

/** Whether a worker serving `device` is live; with `families`, a GPU worker that advertises every one of them. */
export type Liveness = (device: Device, families?: readonly ModelType[]) => Promise<boolean>;

/**
 * A worker counts as live while its presence heartbeat is recent. On the GPU queue, `families` narrows it to workers
 * that advertise every one of them as GPU-capable (a worker from before the advertisement, with none, counts).
 */
async function isLive(deps: ActivityDeps, device: Device, prefix: string, families: readonly ModelType[] = []): Promise<boolean> {
  const capable = families.length ? ` and (gpu_families is null or gpu_families @> ?::jsonb)` : '';
  const rows = await deps.orm.em.getConnection().execute(
    `select 1 from worker_heartbeats where task_queue = ? and last_seen_at > now() - make_interval(secs => ?)${capable} limit 1`,
    [computeQueue(device, prefix), LIVE_WINDOW_SECONDS, ...(families.length ? [JSON.stringify(families)] : [])],
  );
  return rows.length > 0;
}

/** Chooses the compute queue from the workers live now (see decidePlacement). */
export async function chooseDevice(deps: ActivityDeps, input: PlacementInput, say: Say): Promise<Placement> {
  return decidePlacement(input, (device, families) => isLive(deps, device, input.queuePrefix, families), say);
}

/**
 * Chooses the compute queue; says why where it matters. `auto` uses the GPU only where a live GPU worker can train
 * every family the job may train on its GPU (linear, MLP and LSTM never can, so they keep the CPU slots busy rather
 * than queue for the scarce GPU slot); `gpu` and `requireGpu` take any live GPU worker.
 */
export async function decidePlacement(input: PlacementInput, live: Liveness, say: Say): Promise<Placement> {
  const gpuQueue = queueName(GPU_QUEUE, input.queuePrefix);
  const wantsGpu = input.device === 'gpu' || input.requireGpu;
  const families = input.modelTypes ?? [];
  if (input.device === 'cpu' && !input.requireGpu) {
    return { device: 'cpu', available: await live('cpu'), reason: 'cpu requested' };
  }
  if (await live('gpu', wantsGpu ? [] : families)) {
    await say('info', `placed on the GPU queue ${gpuQueue}`);
    if (wantsGpu && families.length && !(await live('gpu', families))) await say('warn', `no live GPU worker can train ${families.join(', ')} on its GPU: it trains on that worker's CPU`);
    return { device: 'gpu', available: true, reason: 'a GPU worker is live' };
  }
  if (input.requireGpu) {
    const reason = `waiting for a GPU worker: requireGpu is set and no live worker serves ${gpuQueue}`;
    await say('warn', reason);
    return { device: 'gpu', available: false, reason };
  }
  if (wantsGpu) {
    const reason = `no live GPU worker serves ${gpuQueue}; falling back to CPU`;
    await say('warn', reason);
    return { device: 'cpu', available: await live('cpu'), reason };
  }
  if (families.length && (await live('gpu'))) {
    const reason = `no live GPU worker can train ${families.join(', ')} on its GPU`;
    await say('info', `placed on the CPU queue: ${reason}`);
    return { device: 'cpu', available: await live('cpu'), reason };
  }
  return { device: 'cpu', available: await live('cpu'), reason: 'no live GPU worker' };
}

/** The size of the job's dataset file. */
export async function datasetBytes(deps: ActivityDeps, jobId: string): Promise<number> {
  const rows = await deps.orm.em.getConnection().execute<{ size_bytes: string }[]>(
    `select d.size_bytes from training_jobs j join datasets d on d.id = j.dataset_id where j.id = ?`,
    [jobId],
  );
  return Number(rows[0]?.size_bytes ?? 0);
}

/**
 * Fused unless the job asks otherwise, trains on a live GPU worker (whose scarce slot should not sit through
 * parsing and preprocessing), or its dataset is larger than `fuseMaxBytes`. A job that must wait for its device
 * waits whole, queued, rather than preparing data it may not train for a long time. `sizeOfDataset` is asked only
 * when the size decides.
 */
export async function choosePipeline(
  requested: ResolveDeviceInput['pipeline'],
  placed: Pick<Placement, 'device' | 'available'>,
  fuseMaxBytes: number,
  sizeOfDataset: () => Promise<number>,
): Promise<PipelineMode> {
  if (requested === 'fused' || requested === 'staged') return requested;
  if (placed.device === 'gpu') return placed.available ? 'staged' : 'fused';
  return (await sizeOfDataset()) > fuseMaxBytes ? 'staged' : 'fused';
}
