import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type WorkerQueueKind = 'cpu' | 'gpu';

export interface TrainyardConfig {
  host: string;
  port: number;
  dataDir: string;
  adminToken: string | null;
  databaseUrl: string;
  dbPoolMax: number;
  temporalAddress: string;
  temporalNamespace: string;
  /** Base URL of the Temporal web UI, for links from jobs and studies; null when unknown. */
  temporalUiUrl: string | null;
  queuePrefix: string;
  workerQueues: WorkerQueueKind[];
  cpuSlots: number;
  gpuSlots: number;
  /** Tests only: advertise a GPU on a CPU machine so GPU routing can be exercised. */
  fakeGpu: boolean;
  maxUploadBytes: number;
  authFailureLimit: number;
  authFailureWindowSeconds: number;
  reconcileIntervalSeconds: number;
  /** Upper bound on the ONNX models that serving keeps loaded. */
  servingCacheBytes: number;
  /**
   * How long an API instance trusts what it looked up: a token's principal, and which model version an alias or
   * `latest` names. Changes made through this instance apply at once; those made elsewhere within this long.
   */
  lookupCacheMs: number;
  retention: { completedJobDays: number; failedJobDays: number; logDays: number; cron: string };
  /** Where data crossing between processes lives: `file:///path` or `s3://bucket/prefix`. */
  storageUrl: string;
  /** The folder under which each process keeps its own cache of fetched objects. */
  cacheDir: string;
  /** Upper bound on each process's cache. */
  cacheBytes: number;
  /** Datasets up to this size train in one activity (`execution.pipeline: auto`); larger ones step by step. */
  fuseMaxBytes: number;
  /** A pipeline step that reports no progress this long stops heartbeating, so Temporal retries it. */
  stepStallSeconds: number;
  /** A training writes a checkpoint to the store at most this often (0: at every 25th round or epoch). */
  checkpointSeconds: number;
  /** How long a step waits for an unreachable object store before it fails its attempt. */
  storeWaitSeconds: number;
  /** Debugging and benches: keep what a job's steps handed each other after it ends (retention still removes it). */
  keepJobObjects: boolean;
  /** Decoded prepared data a worker keeps for the trials of a study. */
  preparedCacheBytes: number;
  /** Webhooks may target loopback and private addresses (link-local and metadata ones never); see webhook-targets. */
  webhookAllowPrivate: boolean;
}

/** A configuration value that cannot be used. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function int(env: NodeJS.ProcessEnv, key: string, fallback: number, min = 0): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${key} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function httpUrl(env: NodeJS.ProcessEnv, key: string): string | null {
  const raw = env[key];
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${key} must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${key} must be an http(s) URL, got "${raw}"`);
  return url.href.replace(/\/+$/, '');
}

function flag(env: NodeJS.ProcessEnv, key: string): boolean {
  return ['1', 'true', 'yes'].includes((env[key] ?? '').toLowerCase());
}

function queues(raw: string | undefined): WorkerQueueKind[] {
  const list = (raw ?? 'cpu').split(',').map((q) => q.trim()).filter(Boolean);
  for (const q of list) {
    if (q !== 'cpu' && q !== 'gpu') throw new ConfigError(`TRAINYARD_WORKER_QUEUES accepts cpu and gpu, got "${q}"`);
  }
  return [...new Set(list)] as WorkerQueueKind[];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): TrainyardConfig {
  const dataDir = absolute(env.TRAINYARD_DATA_DIR || '.data');
  return {
    host: env.TRAINYARD_HOST || '127.0.0.1',
    port: int(env, 'TRAINYARD_PORT', 3000),
    dataDir,
    adminToken: env.TRAINYARD_ADMIN_TOKEN || null,
    databaseUrl: env.DATABASE_URL || `postgres://postgres:postgres@127.0.0.1:${env.TRAINYARD_DB_PORT || 5433}/postgres`,
    dbPoolMax: int(env, 'TRAINYARD_DB_POOL_MAX', 10, 1),
    temporalAddress: env.TEMPORAL_ADDRESS || `127.0.0.1:${env.TEMPORAL_PORT || 7233}`,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalUiUrl: httpUrl(env, 'TRAINYARD_TEMPORAL_UI_URL'),
    queuePrefix: env.TRAINYARD_QUEUE_PREFIX || '',
    workerQueues: queues(env.TRAINYARD_WORKER_QUEUES),
    cpuSlots: int(env, 'TRAINYARD_CPU_SLOTS', 2, 1),
    gpuSlots: int(env, 'TRAINYARD_GPU_SLOTS', 1, 1),
    fakeGpu: flag(env, 'TRAINYARD_FAKE_GPU'),
    maxUploadBytes: int(env, 'TRAINYARD_MAX_UPLOAD_BYTES', 1024 ** 3, 1),
    authFailureLimit: int(env, 'TRAINYARD_AUTH_FAILURE_LIMIT', 20, 1),
    authFailureWindowSeconds: int(env, 'TRAINYARD_AUTH_FAILURE_WINDOW_SECONDS', 60, 1),
    reconcileIntervalSeconds: int(env, 'TRAINYARD_RECONCILE_INTERVAL_SECONDS', 30, 1),
    servingCacheBytes: int(env, 'TRAINYARD_SERVING_CACHE_BYTES', 512 * 1024 ** 2, 1),
    lookupCacheMs: int(env, 'TRAINYARD_LOOKUP_CACHE_MS', 5000, 0),
    retention: {
      completedJobDays: int(env, 'TRAINYARD_RETENTION_COMPLETED_DAYS', 90, 1),
      failedJobDays: int(env, 'TRAINYARD_RETENTION_FAILED_DAYS', 30, 1),
      logDays: int(env, 'TRAINYARD_RETENTION_LOG_DAYS', 7, 1),
      cron: env.TRAINYARD_RETENTION_CRON || '17 4 * * *',
    },
    storageUrl: env.TRAINYARD_STORAGE_URL || pathToFileURL(join(dataDir, 'store')).href,
    cacheDir: absolute(env.TRAINYARD_CACHE_DIR || join(dataDir, 'cache')),
    cacheBytes: int(env, 'TRAINYARD_CACHE_BYTES', 2 * 1024 ** 3, 0),
    fuseMaxBytes: int(env, 'TRAINYARD_FUSE_MAX_BYTES', 1024 ** 3, 0),
    stepStallSeconds: int(env, 'TRAINYARD_STEP_STALL_SECONDS', 600, 1),
    checkpointSeconds: int(env, 'TRAINYARD_CHECKPOINT_SECONDS', 10, 0),
    storeWaitSeconds: int(env, 'TRAINYARD_STORE_WAIT_SECONDS', 900, 0),
    keepJobObjects: flag(env, 'TRAINYARD_KEEP_JOB_OBJECTS'),
    preparedCacheBytes: int(env, 'TRAINYARD_PREPARED_CACHE_BYTES', 512 * 1024 ** 2, 0),
    webhookAllowPrivate: flag(env, 'TRAINYARD_WEBHOOK_ALLOW_PRIVATE'),
  };
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}
