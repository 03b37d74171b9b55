import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { dataPath, jobDir } from '@trainyard/config';

export { dataPath, jobDir };

/** Writes atomically: a crash leaves either the old file or the new one, never half of one. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** The result a step recorded when it finished, so a retried step returns it instead of redoing the work. */
export async function readStepResult<T>(dataDir: string, jobId: string, step: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(dataPath(dataDir, join(jobDir(jobId), `${step}.result.json`)), 'utf8')) as T;
  } catch {
    return null;
  }
}

export async function writeStepResult(dataDir: string, jobId: string, step: string, result: unknown): Promise<void> {
  await writeFileAtomic(dataPath(dataDir, join(jobDir(jobId), `${step}.result.json`)), JSON.stringify(result));
}
