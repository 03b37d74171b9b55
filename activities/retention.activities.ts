import { rm } from 'node:fs/promises';
import type { ActivityDeps } from './activity-deps';
import { dataPath, jobDir } from './job-files';

export interface RetentionPolicy {
  completedJobDays: number;
  failedJobDays: number;
  logDays: number;
}

export interface RetentionResult {
  jobsDeleted: number;
  logLinesDeleted: number;
}

const BATCH = 500;

/**
 * Deletes old jobs and log lines. A job that a model version was trained by is never deleted (its version's
 * lineage names it), and datasets and model artifacts are never touched here.
 */
export function createRetentionActivities(deps: ActivityDeps) {
  return {
    async applyRetention(policy: RetentionPolicy): Promise<RetentionResult> {
      const db = deps.orm.em.fork().getConnection();
      const logs = await db.execute<{ count: string }[]>(
        `with gone as (
           delete from job_logs l using training_jobs j
            where l.job_id = j.id and j.status in ('completed', 'failed', 'cancelled')
              and j.completed_at < now() - make_interval(days => ?)
           returning 1)
         select count(*) as count from gone`,
        [policy.logDays],
      );
      let jobsDeleted = 0;
      for (;;) {
        const rows = await db.execute<{ id: string }[]>(
          `delete from training_jobs where id in (
             select j.id from training_jobs j
              where ((j.status = 'completed' and j.completed_at < now() - make_interval(days => ?))
                  or (j.status in ('failed', 'cancelled') and j.completed_at < now() - make_interval(days => ?)))
                and not exists (select 1 from model_versions v where v.job_id = j.id)
              limit ?)
           returning id`,
          [policy.completedJobDays, policy.failedJobDays, BATCH],
        );
        for (const { id } of rows) await rm(dataPath(deps.config.dataDir, jobDir(id)), { recursive: true, force: true });
        jobsDeleted += rows.length;
        if (rows.length < BATCH) break;
      }
      return { jobsDeleted, logLinesDeleted: Number(logs[0]?.count ?? 0) };
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
