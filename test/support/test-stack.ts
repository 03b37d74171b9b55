import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type TrainyardConfig } from '@trainyard/config';
import type { GpuCapability } from '../../activities';
import { startApiServer, type ApiServer } from '../../apps/api/src/app.factory';
import { startWorkerRuntime, type WorkerRuntime } from '../../apps/worker/src/worker-runtime';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestStack {
  config: TrainyardConfig;
  api: ApiServer;
  url: string;
  adminToken: string;
  db: TestDatabase;
  workers: WorkerRuntime[];
  startWorker(overrides?: Partial<TrainyardConfig>, gpu?: GpuCapability): Promise<WorkerRuntime>;
  stop(): Promise<void>;
}

export interface StackOptions {
  worker?: boolean;
  config?: Partial<TrainyardConfig>;
  gpu?: GpuCapability;
  /** A data dir that does not exist yet, so the service creates it (as on a first start). */
  freshDataDir?: boolean;
}

/**
 * The whole service against the real PostgreSQL and Temporal that `npm test` started: its own database,
 * its own data dir and its own task-queue prefix, so suites never see each other's jobs.
 */
export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  if (!process.env.TEMPORAL_ADDRESS) throw new Error('TEMPORAL_ADDRESS must point at a Temporal server (npm test starts one)');
  const db = await createTestDatabase();
  const root = await mkdtemp(join(tmpdir(), 'trainyard-test-'));
  const dataDir = options.freshDataDir ? join(root, 'data') : root;
  const adminToken = `ty_test_${randomBytes(16).toString('hex')}`;
  const config: TrainyardConfig = {
    ...loadConfig({ ...process.env, DATABASE_URL: db.url, TRAINYARD_DATA_DIR: dataDir }),
    port: 0,
    adminToken,
    queuePrefix: `t${randomBytes(4).toString('hex')}-`,
    dbPoolMax: 5,
    ...options.config,
  };
  // Every JSON response is checked against its documented schema: an undocumented shape fails the test that saw it.
  const api = await startApiServer(config, { logger: process.env.TRAINYARD_TEST_LOGS === '1', checkResponses: true });
  const workers: WorkerRuntime[] = [];
  const stack: TestStack = {
    config,
    api,
    url: api.url,
    adminToken,
    db,
    workers,
    async startWorker(overrides = {}, gpu) {
      const runtime = await startWorkerRuntime({ ...config, ...overrides }, { gpu });
      workers.push(runtime);
      return runtime;
    },
    async stop() {
      await Promise.all(workers.map((w) => w.stop().catch(() => undefined)));
      await api.close();
      await db.drop().catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
  if (options.worker !== false) await stack.startWorker({}, options.gpu);
  return stack;
}
