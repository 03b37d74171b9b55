import { objectKeys } from '@trainyard/storage';
import type { ActivityDeps } from './activity-deps';

export interface RetentionPolicy {
  completedJobDays: number;
  failedJobDays: number;
  logDays: number;
}

export interface RetentionResult {
  jobsDeleted: number;
  logLinesDeleted: number;
  /** Objects of deleted jobs, and what interrupted requests left in the store. */
  objectsDeleted: number;
}

/** A scratch object or an unfinished upload this old belongs to a request that died. */
const ABANDONED_AFTER_MS = 24 * 3600 * 1000;

const BATCH = 500;

/**
 * Deletes old jobs with their objects, and old log lines; sweeps what killed requests left in the store. A job that
 * a model version was trained by is never deleted (its version's lineage names it), and datasets and model
 * artifacts are never touched here.
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
      let objectsDeleted = await deps.storage.sweep(ABANDONED_AFTER_MS);
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
        // A finished job's objects went when it ended; this catches a job whose cleanup never ran.
        for (const { id } of rows) objectsDeleted += await deps.storage.deletePrefix(objectKeys.jobPrefix(id));
        jobsDeleted += rows.length;
        if (rows.length < BATCH) break;
      }
      objectsDeleted += await deleteOrphanDatasets(deps);
      objectsDeleted += await deleteLeftoverJobObjects(deps);
      return { jobsDeleted, logLinesDeleted: Number(logs[0]?.count ?? 0), objectsDeleted };
    },
  };
}

/** Dataset files whose row never came to be (an API killed between storing a file and recording it). */
async function deleteOrphanDatasets(deps: ActivityDeps): Promise<number> {
  const cutoff = Date.now() - ABANDONED_AFTER_MS;
  const db = deps.orm.em.fork().getConnection();
  let deleted = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const known = await db.execute<{ storage_key: string }[]>(`select storage_key from datasets where storage_key = any(?)`, [batch]);
    const kept = new Set(known.map((r) => r.storage_key));
    for (const key of batch) {
      if (kept.has(key)) continue;
      await deps.storage.delete(key);
      deleted++;
    }
    batch = [];
  };
  for await (const object of deps.storage.store.list(objectKeys.datasetsRoot)) {
    if (object.lastModified.getTime() >= cutoff) continue;
    batch.push(object.key);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return deleted;
}

/** Intermediate objects of jobs that have ended (or are gone) but whose cleanup did not run. */
async function deleteLeftoverJobObjects(deps: ActivityDeps): Promise<number> {
  const cutoff = Date.now() - ABANDONED_AFTER_MS;
  const stale = new Set<string>();
  for await (const object of deps.storage.store.list(objectKeys.jobsRoot)) {
    const jobId = object.key.split('/')[1];
    if (object.lastModified.getTime() < cutoff && jobId) stale.add(jobId);
  }
  if (stale.size === 0) return 0;
  const live = await deps.orm.em
    .fork()
    .getConnection()
    .execute<{ id: string }[]>(`select id from training_jobs where id = any(?) and status in ('queued', 'running')`, [[...stale]]);
  for (const { id } of live) stale.delete(id);
  let deleted = 0;
  for (const jobId of stale) deleted += await deps.storage.deletePrefix(objectKeys.jobPrefix(jobId));
  return deleted;
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
