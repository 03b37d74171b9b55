import type { EntityManager } from '@mikro-orm/postgresql';
import type { Device, JobError, JobStatus, ModelVersionRef, Stage } from '@trainyard/contracts';
import type { LogLevel } from '../entities';

export interface LogEntry {
  level: LogLevel;
  message: string;
  stage?: Stage | null;
  data?: Record<string, unknown> | null;
}

export interface MetricValue {
  name: string;
  step: number;
  value: number;
}

/**
 * Writes the job progress that the pipeline reports. Every statement is a single atomic UPDATE/INSERT
 * so that concurrent activities and retries cannot move a job backwards.
 */
export class JobStore {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getConnection();
  }

  /** Moves a queued or running job into `stage`; progress never decreases. Returns false when the job is already terminal. */
  async enterStage(jobId: string, stage: Stage, progress: number, device?: Device): Promise<boolean> {
    const rows = await this.db.execute(
      `update training_jobs
          set status = 'running', stage = ?, progress = greatest(progress, ?),
              device = coalesce(?, device), started_at = coalesce(started_at, now())
        where id = ? and status in ('queued', 'running')
        returning id`,
      [stage, progress, device ?? null, jobId],
    );
    return rows.length > 0;
  }

  async setProgress(jobId: string, progress: number): Promise<void> {
    await this.db.execute(
      `update training_jobs set progress = greatest(progress, ?) where id = ? and status = 'running'`,
      [Math.min(1, Math.max(0, progress)), jobId],
    );
  }

  /** A study trial's job learns its model version when the study registers it, after the job completed. */
  async setModelVersion(jobId: string, version: ModelVersionRef): Promise<void> {
    await this.db.execute(`update training_jobs set model_version = ?::jsonb where id = ?`, [JSON.stringify(version), jobId]);
  }

  async setResults(
    jobId: string,
    results: { task?: string; metrics?: unknown; validationMetrics?: unknown; cvMetrics?: unknown },
  ): Promise<void> {
    await this.db.execute(
      `update training_jobs
          set task = coalesce(?, task),
              metrics = coalesce(?::jsonb, metrics),
              validation_metrics = coalesce(?::jsonb, validation_metrics),
              cv_metrics = coalesce(?::jsonb, cv_metrics)
        where id = ?`,
      [
        results.task ?? null,
        results.metrics === undefined ? null : JSON.stringify(results.metrics),
        results.validationMetrics === undefined ? null : JSON.stringify(results.validationMetrics),
        results.cvMetrics === undefined ? null : JSON.stringify(results.cvMetrics),
        jobId,
      ],
    );
  }

  async log(jobId: string, entry: LogEntry): Promise<void> {
    await this.db.execute(
      `insert into job_logs (job_id, ts, level, stage, message, data) values (?, now(), ?, ?, ?, ?::jsonb)`,
      [jobId, entry.level, entry.stage ?? null, entry.message, entry.data ? JSON.stringify(entry.data) : null],
    );
  }

  /** Upserts metric points; a retried round overwrites its own value instead of adding a second one. */
  async recordMetrics(jobId: string, points: MetricValue[]): Promise<void> {
    if (points.length === 0) return;
    const values = points.map(() => '(?, ?, ?, ?, now())').join(', ');
    const params = points.flatMap((p) => [jobId, p.name, p.step, Number.isFinite(p.value) ? p.value : null]);
    await this.db.execute(
      `insert into metric_points (job_id, name, step, value, ts) values ${values}
       on conflict (job_id, name, step) do update set value = excluded.value, ts = excluded.ts`,
      params,
    );
  }

  /** Records the outcome once; a job that is already terminal keeps its first outcome. */
  async finalize(
    jobId: string,
    outcome: { status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>; error: JobError | null; modelVersion: ModelVersionRef | null },
  ): Promise<boolean> {
    const rows = await this.db.execute(
      `update training_jobs
          set status = ?, error = ?::jsonb, model_version = coalesce(?::jsonb, model_version),
              progress = case when ? = 'completed' then 1 else progress end,
              completed_at = now()
        where id = ? and status in ('queued', 'running')
        returning id`,
      [
        outcome.status,
        outcome.error ? JSON.stringify(outcome.error) : null,
        outcome.modelVersion ? JSON.stringify(outcome.modelVersion) : null,
        outcome.status,
        jobId,
      ],
    );
    return rows.length > 0;
  }
}
