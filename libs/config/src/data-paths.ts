import { join, resolve, sep } from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Resolves a path under the data dir, refusing anything that would escape it. */
export function dataPath(dataDir: string, relative: string): string {
  const root = resolve(dataDir);
  const full = resolve(root, relative);
  if (full !== root && !full.startsWith(root + sep)) throw new Error(`path escapes the data dir: ${relative}`);
  return full;
}

/** Working files of one job, relative to the data dir. Job ids are server-made UUIDs; anything else is refused. */
export function jobDir(jobId: string): string {
  if (!UUID.test(jobId)) throw new Error(`not a job id: ${jobId}`);
  return join('jobs', jobId);
}
