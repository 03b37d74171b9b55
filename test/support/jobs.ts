import type { ApiClient } from './http';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value; fails with `what` and the last value seen on timeout. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as T;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
}

/** Waits until a job is running in the train stage and its progress has moved past the stage's start. */
export function waitForTraining(api: ApiClient, id: string, timeoutMs = 60_000): Promise<any> {
  return waitUntil(
    `job ${id} training`,
    async () => {
      const job = (await api.get(`/v1/training-jobs/${id}`)).body;
      if (['completed', 'failed', 'cancelled'].includes(job?.status)) throw new Error(`job ${id} ended before training was observed: ${JSON.stringify(job)}`);
      return job?.status === 'running' && job.stage === 'train' && job.progress > 0.12 ? job : null;
    },
    timeoutMs,
  );
}

/** The job's log messages, oldest first. */
export async function logMessages(api: ApiClient, id: string, tail = 500): Promise<{ level: string; stage: string | null; message: string }[]> {
  const res = await api.get(`/v1/training-jobs/${id}/logs?tail=${tail}&level=debug`);
  if (res.status !== 200) throw new Error(`logs of ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

/** How many points a job's metric series holds. */
export async function seriesLength(api: ApiClient, id: string, name = 'train.logLoss'): Promise<number> {
  const res = await api.get(`/v1/training-jobs/${id}/metrics`);
  return res.body.series?.[name]?.length ?? 0;
}

/** A training request for an XGBoost job that runs for a while: many deep rounds. */
export function longJob(datasetId: string, numRounds = 5000, extra: Record<string, unknown> = {}) {
  return { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds, maxDepth: 8 } }, ...extra };
}

/** A training request that finishes in a second or two. */
export function quickJob(datasetId: string, extra: Record<string, unknown> = {}) {
  return { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 10, maxDepth: 3 } }, ...extra };
}
