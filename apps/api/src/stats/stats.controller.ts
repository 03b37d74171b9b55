import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { CurrentPrincipal, type Principal } from '../auth/principal';

const LIVE_WINDOW_SECONDS = 20;

@ApiTags('stats')
@ApiBearerAuth()
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly em: EntityManager) {}

  @Get()
  async stats(@CurrentPrincipal() principal: Principal) {
    const db = this.em.getConnection();
    const [counts] = await db.execute<{ queued: string; running: string; completed: string; failed: string }[]>(
      `select count(*) filter (where status = 'queued') as queued,
              count(*) filter (where status = 'running') as running,
              count(*) filter (where status = 'completed' and completed_at > now() - interval '24 hours') as completed,
              count(*) filter (where status = 'failed' and completed_at > now() - interval '24 hours') as failed
         from training_jobs where tenant_id = ? and (status in ('queued', 'running') or completed_at > now() - interval '24 hours')`,
      [principal.tenantId],
    );
    const workers = await db.execute<{ task_queue: string; device: string; slots: number; busy: number; workers: string }[]>(
      `select task_queue, device, sum(slots)::int as slots, sum(busy)::int as busy, count(*) as workers
         from worker_heartbeats where last_seen_at > now() - make_interval(secs => ?)
        group by task_queue, device order by task_queue`,
      [LIVE_WINDOW_SECONDS],
    );
    const completed = Number(counts.completed);
    const failed = Number(counts.failed);
    return {
      queued: Number(counts.queued),
      running: Number(counts.running),
      completedLast24h: completed,
      failedLast24h: failed,
      successRate: completed + failed ? completed / (completed + failed) : null,
      workers: workers.map((w) => ({ taskQueue: w.task_queue, device: w.device, slots: w.slots, busy: w.busy, workers: Number(w.workers) })),
    };
  }
}
