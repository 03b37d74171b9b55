import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ApiClient } from '../../test/support/http';

const TERMINAL = ['completed', 'failed', 'cancelled'];

/**
 * Uploads a file as a dataset as a user does from a shell, with `curl -F` (plain node:http when there is no curl):
 * streamed from disk, so the client never holds the file, and the client's own CPU stays small. On the 2 cores the
 * server runs on, that matters: for 250 MB curl spends 0.15 s, node:http about 0.5 s, and fetch with a FormData of
 * the file's Blob 3 s. Seconds from request to answer.
 */
export async function uploadDatasetFile(api: ApiClient, name: string, path: string): Promise<{ id: string; seconds: number; body: any }> {
  const t0 = performance.now();
  const { status, text } = (await curlUpload(api, name, path)) ?? (await httpUpload(api, name, path));
  const seconds = (performance.now() - t0) / 1000;
  if (status !== 201 && status !== 200) throw new Error(`upload of ${path}: ${status} ${text}`);
  const body = JSON.parse(text);
  return { id: body.id as string, seconds, body };
}

interface Answer {
  status: number;
  text: string;
}

/** The upload by curl, or null when there is no curl. */
function curlUpload(api: ApiClient, name: string, path: string): Promise<Answer | null> {
  return new Promise((resolve, reject) => {
    const args = ['-sS', '-o', '-', '-w', '\n%{http_code}', '-H', `authorization: Bearer ${api.token}`, '-F', `name=${name}`, '-F', `file=@${path};type=text/csv`, `${api.baseUrl}/v1/datasets`];
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? resolve(null) : reject(e)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`curl exited with ${code}: ${Buffer.concat(err).toString()}`));
      const text = Buffer.concat(out).toString('utf8');
      const cut = text.lastIndexOf('\n');
      resolve({ status: Number(text.slice(cut + 1)), text: text.slice(0, cut) });
    });
  });
}

/** The same multipart form over node:http, the file piped from disk in 1 MiB reads. */
async function httpUpload(api: ApiClient, name: string, path: string): Promise<Answer> {
  const boundary = `----bench${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\n${name}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${basename(path)}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = (await stat(path)).size;
  return new Promise((resolve, reject) => {
    const req = request(`${api.baseUrl}/v1/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length },
    });
    req.on('response', (res) => {
      const pieces: Buffer[] = [];
      res.on('data', (d: Buffer) => pieces.push(d)).on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(pieces).toString('utf8') }));
    });
    req.on('error', reject);
    req.write(head);
    pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), async function* (file) {
      yield* file;
      yield tail;
    }, req).catch(reject);
  });
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
