import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Device } from '@trainyard/contracts';
import type { ComputeQueueSpec } from '@trainyard/temporal';

const BEAT_MS = 5000;

/** Counts in-flight activities per compute queue. */
export class BusySlots {
  private readonly busy = new Map<Device, number>();

  count(device: Device): number {
    return this.busy.get(device) ?? 0;
  }

  /** Wraps every activity so the count rises while it runs. */
  track<T extends object>(device: Device, activities: T): T {
    const wrapped: Record<string, unknown> = {};
    for (const [name, fn] of Object.entries(activities)) {
      wrapped[name] = async (...args: unknown[]) => {
        this.busy.set(device, this.count(device) + 1);
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          this.busy.set(device, this.count(device) - 1);
        }
      };
    }
    return wrapped as T;
  }
}

/** What the GPU queue's row says of the GPU: its name and the families that can train on it. */
export interface GpuAdvert {
  name: string | null;
  families: readonly string[];
}

/** Advertises this worker's queues, slots and busy slots in the database, for /v1/stats and for placement. */
export function startPresence(orm: MikroORM, queues: ComputeQueueSpec[], queueNameOf: (d: Device) => string, busy: BusySlots, gpu: GpuAdvert) {
  // One process may run several worker runtimes (tests do); stopping one must not withdraw the others' rows.
  const identity = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const beat = async () => {
    for (const q of queues) {
      await orm.em.getConnection().execute(
        `insert into worker_heartbeats (identity, task_queue, device, slots, busy, gpu_name, gpu_families, last_seen_at) values (?, ?, ?, ?, ?, ?, ?::jsonb, now())
         on conflict (identity, task_queue) do update set slots = excluded.slots, busy = excluded.busy, gpu_families = excluded.gpu_families, last_seen_at = now()`,
        [identity, queueNameOf(q.device), q.device, q.slots, busy.count(q.device), q.device === 'gpu' ? gpu.name : null, q.device === 'gpu' ? JSON.stringify(gpu.families) : null],
      );
    }
  };
  const run = () => beat().catch((err: unknown) => console.warn('worker presence update failed:', err instanceof Error ? err.message : err));
  void run();
  const timer = setInterval(run, BEAT_MS);
  return {
    async stop() {
      clearInterval(timer);
      await orm.em.getConnection().execute(`delete from worker_heartbeats where identity = ?`, [identity]).catch(() => undefined);
    },
  };
}
