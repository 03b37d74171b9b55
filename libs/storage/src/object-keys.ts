import { randomUUID } from 'node:crypto';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/;

/** Joins checked segments into a key: no empty, `.`/`..` or slash-bearing segment can reach a path. */
export function objectKey(...segments: string[]): string {
  for (const s of segments) {
    if (!SEGMENT.test(s) || s === '.' || s === '..' || s.includes('..')) throw new Error(`not a key segment: ${JSON.stringify(s)}`);
  }
  return segments.join('/');
}

/** A key as stored (from a database row or an activity's input) is checked again before it is used. */
export function checkedKey(key: string): string {
  return objectKey(...key.split('/'));
}

function id(value: string, what: string): string {
  if (!UUID.test(value)) throw new Error(`not a ${what} id: ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

/** Where each kind of object lives; every other module asks here instead of building keys itself. */
export const objectKeys = {
  /** An uploaded dataset file, under its tenant; the dataset row holds its sha256. */
  dataset: (tenantId: string, datasetId: string, format: 'csv' | 'parquet') => objectKey('datasets', id(tenantId, 'tenant'), `${id(datasetId, 'dataset')}.${format}`),
  /** Everything a job hands from one step to the next; deleted as one prefix when the job ends. */
  jobPrefix: (jobId: string) => `${objectKey('jobs', id(jobId, 'job'))}/`,
  job: (jobId: string, name: string) => objectKey('jobs', id(jobId, 'job'), name),
  /** What a study's trials share, and the models of its best trials until they are registered. */
  studyPrefix: (studyId: string) => `${objectKey('studies', id(studyId, 'study'))}/`,
  study: (studyId: string, name: string) => objectKey('studies', id(studyId, 'study'), name),
  /**
   * A registered model's files, addressed by the content's sha256 so identical models share one object: the ONNX
   * file, its plan (under the ONNX file's sha256) and the engine's own model (under its own sha256).
   */
  model: (tenantId: string, sha256: string, suffix: 'onnx' | 'plan.json' | 'model') => {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${JSON.stringify(sha256)}`);
    return objectKey('models', id(tenantId, 'tenant'), `${sha256}.${suffix}`);
  },
  /** A request's scratch object (e.g. a batch-predict upload), removed when the request ends. */
  scratch: () => objectKey('scratch', randomUUID()),
  /** Every dataset file of every tenant (for the sweep of files whose row was never written). */
  datasetsRoot: 'datasets/',
  /** Every job's intermediates (for the sweep of jobs whose cleanup never ran). */
  jobsRoot: 'jobs/',
} as const;
