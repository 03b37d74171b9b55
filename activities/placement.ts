import { GPU_QUEUE, computeQueue, queueName, type Device, type ResolveDeviceInput, type ResolveDeviceResult } from '@trainyard/contracts';
import type { ActivityDeps } from './activity-deps';

export const LIVE_WINDOW_SECONDS = 20;

type Say = (level: 'info' | 'warn', message: string) => Promise<void>;

/** A worker counts as live while its presence heartbeat is recent. */
async function isLive(deps: ActivityDeps, device: Device, prefix: string): Promise<boolean> {
  const rows = await deps.orm.em.getConnection().execute(
    `select 1 from worker_heartbeats where task_queue = ? and last_seen_at > now() - make_interval(secs => ?) limit 1`,
    [computeQueue(device, prefix), LIVE_WINDOW_SECONDS],
  );
  return rows.length > 0;
}

/** Chooses the compute queue: a GPU only where a live GPU worker advertises one; says why where it matters. */
export async function chooseDevice(deps: ActivityDeps, input: Omit<ResolveDeviceInput, 'jobId' | 'pipeline'>, say: Say): Promise<Omit<ResolveDeviceResult, 'pipeline'>> {
  const gpuQueue = queueName(GPU_QUEUE, input.queuePrefix);
  const wantsGpu = input.device === 'gpu' || input.requireGpu;
  if (input.device === 'cpu' && !input.requireGpu) {
    return { device: 'cpu', available: await isLive(deps, 'cpu', input.queuePrefix), reason: 'cpu requested' };
  }
  if (await isLive(deps, 'gpu', input.queuePrefix)) {
    await say('info', `placed on the GPU queue ${gpuQueue}`);
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
  return { device: 'cpu', available: await isLive(deps, 'cpu', input.queuePrefix), reason: 'no live GPU worker' };
}
