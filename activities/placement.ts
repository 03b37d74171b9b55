import { GPU_QUEUE, computeQueue, queueName, type Device, type ModelType, type ResolveDeviceInput, type ResolveDeviceResult } from '@trainyard/contracts';
import type { ActivityDeps } from './activity-deps';

export const LIVE_WINDOW_SECONDS = 20;

type Say = (level: 'info' | 'warn', message: string) => Promise<void>;

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

/** What a placement needs: the job's execution settings and the model families it may train. */
export type PlacementInput = Omit<ResolveDeviceInput, 'jobId' | 'pipeline'> & { modelTypes: readonly ModelType[] };

/**
 * Chooses the compute queue. `auto` uses the GPU only where a live GPU worker can train every family the job may
 * train on its GPU (linear, MLP and LSTM never can, so they keep the CPU slots busy rather than queue for the one
 * GPU slot); `gpu` asks for any live GPU worker. Says why where it matters.
 */
export async function chooseDevice(deps: ActivityDeps, input: PlacementInput, say: Say): Promise<Omit<ResolveDeviceResult, 'pipeline'>> {
  const gpuQueue = queueName(GPU_QUEUE, input.queuePrefix);
  const wantsGpu = input.device === 'gpu' || input.requireGpu;
  const families = input.modelTypes.join(', ');
  if (input.device === 'cpu' && !input.requireGpu) {
    return { device: 'cpu', available: await isLive(deps, 'cpu', input.queuePrefix), reason: 'cpu requested' };
  }
  if (wantsGpu && (await isLive(deps, 'gpu', input.queuePrefix))) {
    await say('info', `placed on the GPU queue ${gpuQueue}`);
    if (!(await isLive(deps, 'gpu', input.queuePrefix, input.modelTypes))) await say('warn', `no live GPU worker can train ${families} on its GPU: it trains on that worker's CPU`);
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
    return { device: 'cpu', available: await isLive(deps, 'cpu', input.queuePrefix), reason };
  }
  if (await isLive(deps, 'gpu', input.queuePrefix, input.modelTypes)) {
    await say('info', `placed on the GPU queue ${gpuQueue}`);
    return { device: 'gpu', available: true, reason: `a live GPU worker trains ${families} on its GPU` };
  }
  const cpuLive = () => isLive(deps, 'cpu', input.queuePrefix);
  if (!(await isLive(deps, 'gpu', input.queuePrefix))) return { device: 'cpu', available: await cpuLive(), reason: 'no live GPU worker' };
  const reason = `no live GPU worker can train ${families} on its GPU`;
  await say('info', `placed on the CPU queue: ${reason}`);
  return { device: 'cpu', available: await cpuLive(), reason };
}
