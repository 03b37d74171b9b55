import { Injectable } from '@nestjs/common';
import { raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { TENANT, TrainingJob, WorkerHeartbeat, tenantSql } from '@trainyard/db';
import type { StatsDto } from './stats.dto';

/** A worker that has not been seen for this long no longer counts. */
const LIVE_WINDOW_SECONDS = 20;

@Injectable()
export class StatsService {
  constructor(private readonly em: EntityManager) {}

  /** The tenant's job counts (the request's EntityManager is scoped to it), the shared workers, and for admins its storage. */
  async stats(withStorage: boolean): Promise<StatsDto> {
    const dayAgo = new Date(Date.now() - 86_400_000);
    const [queued, running, completed, failed] = await Promise.all([
      this.em.count(TrainingJob, { status: 'queued' }),
      this.em.count(TrainingJob, { status: 'running' }),
      this.em.count(TrainingJob, { status: 'completed', completedAt: { $gt: dayAgo } }),
      this.em.count(TrainingJob, { status: 'failed', completedAt: { $gt: dayAgo } }),
    ]);
    // Workers serve every tenant: their presence is not tenant data.
    const workers = (await this.em
      .createQueryBuilder(WorkerHeartbeat)
      .select(['taskQueue', 'device', raw('sum(slots)::int as slots'), raw('sum(busy)::int as busy'), raw('count(*)::int as workers')])
      .where({ lastSeenAt: { $gt: new Date(Date.now() - LIVE_WINDOW_SECONDS * 1000) } })
      .groupBy(['taskQueue', 'device'])
      .orderBy({ taskQueue: 'asc' })
      .execute('all')) as { taskQueue: string; device: 'cpu' | 'gpu'; slots: number; busy: number; workers: number }[];
    return {
      queued,
      running,
      completedLast24h: completed,
      failedLast24h: failed,
      successRate: completed + failed ? completed / (completed + failed) : null,
      workers: workers.map((w) => ({ taskQueue: w.taskQueue, device: w.device, slots: w.slots, busy: w.busy, workers: w.workers })),
      ...(withStorage ? { storage: await this.storage() } : {}),
    };
  }

  /** Bytes in the store, from the rows that name the objects: identical models share one object, counted once. */
  private async storage(): Promise<NonNullable<StatsDto['storage']>> {
    const sql = tenantSql(this.em);
    const [datasets] = await sql<{ bytes: string }>`select coalesce(sum(size_bytes), 0)::bigint as bytes from datasets where tenant_id = ${TENANT}`;
    const [models] = await sql<{ bytes: string }>`
      select coalesce(sum(size), 0)::bigint as bytes from (
        select artifact->>'key' as key, (artifact->>'size')::bigint as size from model_versions where tenant_id = ${TENANT}
        union
        select plan->>'key', (plan->>'size')::bigint from model_versions where tenant_id = ${TENANT} and plan is not null
        union
        select engine_model->>'key', (engine_model->>'size')::bigint from model_versions where tenant_id = ${TENANT} and engine_model is not null
      ) objects`;
    return { datasetsBytes: Number(datasets.bytes), modelsBytes: Number(models.bytes) };
  }
}
