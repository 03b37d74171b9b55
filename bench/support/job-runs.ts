import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import type { ApiClient } from '../../test/support/http';

const TERMINAL = ['completed', 'failed', 'cancelled'];

/** Uploads a file as a dataset, streamed from disk (the client never holds the file); seconds from request to answer. */
export async function uploadDatasetFile(api: ApiClient, name: string, path: string): Promise<{ id: string; seconds: number; body: any }> {
  const form = new FormData();
  form.set('name', name);
  form.set('file', await openAsBlob(path), basename(path));
  const t0 = performance.now();
  const res = await api.request('POST', '/v1/datasets', form);
  const seconds = (performance.now() - t0) / 1000;
  if (res.status !== 201 && res.status !== 200) throw new Error(`upload of ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, seconds, body: res.body };
}

/** Polls a job every `intervalMs` until it is terminal, so the time a client sees it end is off by at most that. */
export async function waitForJobPolling(api: ApiClient, id: string, intervalMs = 50, timeoutMs = 60 * 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await api.get(`/v1/training-jobs/${id}`)).body;
    if (TERMINAL.includes(job?.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} stayed ${job?.status}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Submits a job and waits for it: seconds from the POST to seeing it terminal. Throws unless it completed. */
export async function runJob(api: ApiClient, body: Record<string, unknown>, intervalMs = 50): Promise<{ job: any; seconds: number }> {
  const t0 = performance.now();
  const created = await api.post('/v1/training-jobs', body);
  if (created.status !== 201) throw new Error(`job: ${created.status} ${JSON.stringify(created.body)}`);
  const job = await waitForJobPolling(api, created.body.id, intervalMs);
  const seconds = (performance.now() - t0) / 1000;
  if (job.status !== 'completed') throw new Error(`job ${job.id} ${job.status}: ${JSON.stringify(job.error)}`);
  return { job, seconds };
}

/** Server-side seconds from a job's creation to its end, and from creation to its first step. */
export function serverSeconds(job: { createdAt: string; startedAt: string | null; completedAt: string | null }): { total: number; queued: number } {
  const created = Date.parse(job.createdAt);
  return { total: (Date.parse(job.completedAt ?? '') - created) / 1000, queued: (Date.parse(job.startedAt ?? '') - created) / 1000 };
}

/**
 * Where a job's time went, from its log: each line's offset from the job's creation, with its stage. Steps log as
 * they finish their work, so the gaps between lines are the stages' costs.
 */
export async function jobTimeline(api: ApiClient, job: { id: string; createdAt: string; completedAt: string | null }): Promise<string[]> {
  const created = Date.parse(job.createdAt);
  const items = (await api.get(`/v1/training-jobs/${job.id}/logs?tail=200&level=debug`)).body.items as { ts: string; stage: string | null; message: string }[];
  const lines = items.map((l) => `+${((Date.parse(l.ts) - created) / 1000).toFixed(2).padStart(6)} s  ${(l.stage ?? '-').padEnd(13)} ${l.message.slice(0, 110)}`);
  if (job.completedAt) lines.push(`+${((Date.parse(job.completedAt) - created) / 1000).toFixed(2).padStart(6)} s  completed`);
  return lines;
}

const STAGES = ['load_features', 'preprocess', 'train', 'evaluate', 'register'] as const;

/**
 * Seconds per part of a job, from its server timestamps and log: `queued` (created → first step), each stage (from
 * the previous stage's last log line to its own last one: a step logs when it has done its work), and `close`
 * (the last stage's line → completed).
 */
export async function stageSeconds(api: ApiClient, job: { id: string; createdAt: string; startedAt: string | null; completedAt: string | null }): Promise<Record<string, number>> {
  const items = (await api.get(`/v1/training-jobs/${job.id}/logs?tail=1000&level=debug`)).body.items as { ts: string; stage: string | null }[];
  const out: Record<string, number> = { queued: (Date.parse(job.startedAt ?? '') - Date.parse(job.createdAt)) / 1000 };
  let from = Date.parse(job.startedAt ?? job.createdAt);
  for (const stage of STAGES) {
    const last = Math.max(...items.filter((l) => l.stage === stage).map((l) => Date.parse(l.ts)));
    if (!Number.isFinite(last)) continue;
    out[stage] = (last - from) / 1000;
    from = last;
  }
  out.close = (Date.parse(job.completedAt ?? '') - from) / 1000;
  return out;
}

/** The median of each part over several jobs' stageSeconds, as `part 0.12 s` pairs in job order. */
export function medianStages(runs: Record<string, number>[], digits = 2, unit: 's' | 'ms' = 's'): string {
  const parts = ['queued', ...STAGES, 'close'].filter((p) => runs.some((r) => p in r));
  return parts
    .map((p) => {
      const values = runs.map((r) => r[p]).filter((v): v is number => Number.isFinite(v)).sort((a, b) => a - b);
      const median = values[Math.floor((values.length - 1) / 2)] ?? NaN;
      return `${p} ${unit === 'ms' ? (median * 1000).toFixed(0) : median.toFixed(digits)}`;
    })
    .join(', ');
}
