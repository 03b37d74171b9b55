import type { EntityManager } from '@mikro-orm/postgresql';
import type { Device, JobError, JobStatus, ModelVersionRef, Stage } from '@trainyard/contracts';
import type { LogLevel } from '../entities';
import { LIVE_CHANNEL, NOTIFY_CHANGED_JOBS, type JobNoticeKind } from './live-notices';

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

/** Wraps a statement returning `id` (the job's) so that it also notifies live streams, in the same round trip. */
function notifying(statement: string): string {
  return `with changed as (${statement}) ${NOTIFY_CHANGED_JOBS}`;
}

const notice = (kind: JobNoticeKind) => [LIVE_CHANNEL, kind];

/**
 * Writes the job progress that the pipeline reports. Every statement is a single atomic UPDATE/INSERT
 * so that concurrent activities and retries cannot move a job backwards, and each one that changes something
 * announces it on LIVE_CHANNEL for the API's live streams.
 */
export class JobStore {
  constructor(private readonly em: EntityManager) {}

  /** Runs a statement inside the EntityManager's transaction when it has one (so a step can write several at once). */
  private get db() {
    const connection = this.em.getConnection();
    const ctx = this.em.getTransactionContext();
    return { execute: (sql: string, params: unknown[]) => connection.execute(sql, params, 'all', ctx) };
  }

  /** Moves a queued or running job into `stage`; progress never decreases. Returns false when the job is already terminal. */
  async enterStage(jobId: string, stage: Stage, progress: number, device?: Device): Promise<boolean> {
    const rows = await this.db.execute(
      notifying(`update training_jobs
          set status = 'running', stage = ?, progress = greatest(progress, ?),
              device = coalesce(?, device), started_at = coalesce(started_at, now()),
              train_started_at = case when ?::text = 'train' then coalesce(train_started_at, now()) else train_started_at end
        where id = ? and status in ('queued', 'running')
        returning id`),
      [stage, progress, device ?? null, stage, jobId, ...notice('progress')],
    );
    return rows.length > 0;
  }

  async setProgress(jobId: string, progress: number): Promise<void> {
    const value = Math.min(1, Math.max(0, progress));
    await this.db.execute(
      notifying(`update training_jobs set progress = ? where id = ? and status = 'running' and progress < ? returning id`),
      [value, jobId, value, ...notice('progress')],
    );
  }

  /** The model params as training uses them; a retried attempt writes the same again. */
  async setEffectiveParams(jobId: string, params: Record<string, unknown>): Promise<void> {
    await this.db.execute(`update training_jobs set effective_params = ?::jsonb where id = ?`, [JSON.stringify(params), jobId]);
  }

  /** A study trial's job learns its model version when the study registers it, after the job completed. */
  async setModelVersion(jobId: string, version: ModelVersionRef): Promise<void> {
    await this.db.execute(`update training_jobs set model_version = ?::jsonb where id = ?`, [JSON.stringify(version), jobId]);
  }

  async setResults(
    jobId: string,
    results: {
      task?: string;
      metrics?: unknown;
      validationMetrics?: unknown;
      cvMetrics?: unknown;
      trainMetrics?: unknown;
      classDistribution?: unknown;
      deploymentReady?: boolean | null;
    },
  ): Promise<void> {
    const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
    await this.db.execute(
      `update training_jobs
          set task = coalesce(?, task),
              metrics = coalesce(?::jsonb, metrics),
              validation_metrics = coalesce(?::jsonb, validation_metrics),
              cv_metrics = coalesce(?::jsonb, cv_metrics),
              train_metrics = coalesce(?::jsonb, train_metrics),
              class_distribution = coalesce(?::jsonb, class_distribution),
              deployment_ready = coalesce(?, deployment_ready)
        where id = ?`,
      [
        results.task ?? null,
        json(results.metrics),
        json(results.validationMetrics),
        json(results.cvMetrics),
        json(results.trainMetrics),
        json(results.classDistribution),
        results.deploymentReady ?? null,
        jobId,
      ],
    );
  }

  async log(jobId: string, entry: LogEntry): Promise<void> {
    await this.db.execute(
      notifying(`insert into job_logs (job_id, ts, level, stage, message, data) values (?, now(), ?, ?, ?, ?::jsonb) returning job_id as id`),
      [jobId, entry.level, entry.stage ?? null, entry.message, entry.data ? JSON.stringify(entry.data) : null, ...notice('log')],
    );
  }

  /** Upserts metric points; a retried round overwrites its own value instead of adding a second one. */
  async recordMetrics(jobId: string, points: MetricValue[]): Promise<void> {
    if (points.length === 0) return;
    const values = points.map(() => '(?, ?, ?, ?, now())').join(', ');
    const params = points.flatMap((p) => [jobId, p.name, p.step, Number.isFinite(p.value) ? p.value : null]);
    // One notice per statement, not per point: `changed` keeps one row.
    await this.db.execute(
      `with points as (insert into metric_points (job_id, name, step, value, ts) values ${values}
         on conflict (job_id, name, step) do update set value = excluded.value, ts = excluded.ts returning job_id),
       changed as (select distinct job_id as id from points) ${NOTIFY_CHANGED_JOBS}`,
      [...params, ...notice('metric')],
    );
  }

  /** Records the outcome once; a job that is already terminal keeps its first outcome. */
  async finalize(
    jobId: string,
    outcome: { status: Extract<JobStatus, 'completed' | 'failed' | 'cancelled'>; error: JobError | null; modelVersion: ModelVersionRef | null },
  ): Promise<boolean> {
    const rows = await this.db.execute(
      notifying(`update training_jobs
          set status = ?, error = ?::jsonb, model_version = coalesce(?::jsonb, model_version),
              progress = case when ? = 'completed' then 1 else progress end,
              completed_at = now()
        where id = ? and status in ('queued', 'running')
        returning id`),
      [
        outcome.status,
        outcome.error ? JSON.stringify(outcome.error) : null,
        outcome.modelVersion ? JSON.stringify(outcome.modelVersion) : null,
        outcome.status,
        jobId,
        ...notice('status'),
      ],
    );
    return rows.length > 0;
  }
}
