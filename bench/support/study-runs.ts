import { Client } from 'pg';
import type { ApiClient } from '../../test/support/http';

export interface TrialJobFacts {
  jobId: string;
  status: string;
  params: Record<string, unknown>;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
  /** Boosting rounds the job ran: the highest step of its recorded metric series. */
  rounds: number;
}

/**
 * Waits for a study's end the way the CLI follows one: on its live event stream (which ends with `end`), then reads
 * the study. A tight poll would cost the API a describe every few tens of milliseconds, on the cores the study runs on.
 */
export async function followStudy(api: ApiClient, id: string): Promise<any> {
  const stream = await api.get(`/v1/studies/${id}/events`, { accept: 'text/event-stream' });
  if (stream.status !== 200) throw new Error(`study ${id} events: ${stream.status} ${JSON.stringify(stream.body)}`);
  return (await api.get(`/v1/studies/${id}`)).body;
}

/** Polls a study every `intervalMs` until it reaches one of `statuses`. */
export async function waitForStudy(api: ApiClient, id: string, statuses: string[] = ['completed', 'failed', 'cancelled'], timeoutMs = 60 * 60_000, intervalMs = 250): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const study = (await api.get(`/v1/studies/${id}`)).body;
    if (statuses.includes(study.status)) return study;
    if (Date.now() > deadline) throw new Error(`study ${id} stayed ${study.status}: ${JSON.stringify(study)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The server's own timestamps and round counts for a set of jobs, read straight from the database. */
export async function jobFacts(databaseUrl: string, where: { studyId: string } | { jobIds: string[] }): Promise<TrialJobFacts[]> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const [clause, arg] = 'studyId' in where ? ['j.study_id = $1', where.studyId] : ['j.id = any($1::uuid[])', where.jobIds];
    const rows = (
      await pg.query(
        `select j.id, j.status, j.spec->'model'->'params' as params, j.created_at, j.started_at, j.completed_at,
                coalesce((select max(step) from metric_points m where m.job_id = j.id), 0)::int as rounds
           from training_jobs j where ${clause} order by j.created_at`,
        [arg],
      )
    ).rows;
    return rows.map((r) => ({
      jobId: r.id,
      status: r.status,
      params: r.params,
      createdAt: r.created_at.getTime(),
      startedAt: r.started_at?.getTime() ?? null,
      completedAt: r.completed_at?.getTime() ?? null,
      rounds: r.rounds,
    }));
  } finally {
    await pg.end();
  }
}

/** Seconds each job spent between starting and finishing, summed. */
export const busySeconds = (jobs: TrialJobFacts[]): number => jobs.reduce((s, j) => s + (j.startedAt && j.completedAt ? (j.completedAt - j.startedAt) / 1000 : 0), 0);
