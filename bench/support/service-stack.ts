import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../test/support/http';
import { freePort } from '../../test/support/temporal-dev-server';
import { createTestDatabase } from '../../test/support/test-database';
import { API_MAIN, WORKER_MAIN } from '../../test/support/worker-process';
import { atInterrupt } from './run-bench';

const KEPT_LINES = 200;

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** The last lines it printed. */
  output(): string;
}

export interface ServiceStack {
  url: string;
  token: string;
  api: ServiceProcess;
  worker: ServiceProcess;
  client: ApiClient;
  databaseUrl: string;
  /** The API's data dir, and the worker's (the same folder unless `separateDataDirs`). */
  apiDataDir: string;
  workerDataDir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Environment for both processes (e.g. TRAINYARD_STORAGE_URL and the AWS variables, TRAINYARD_CPU_SLOTS). */
  env?: Record<string, string>;
  /** A data dir of its own for each process, as on two machines: only the database, Temporal and the store are shared. */
  separateDataDirs?: boolean;
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']; BENCH_API_NODE_ARGS / BENCH_WORKER_NODE_ARGS add more. */
  apiNodeArgs?: string[];
  workerNodeArgs?: string[];
}

/** Variables of the bench's own environment that must not reach a stack unless the bench sets them. */
const NOT_INHERITED = ['TRAINYARD_STORAGE_URL', 'TRAINYARD_DATA_DIR', 'TRAINYARD_CACHE_DIR', 'TRAINYARD_PORT', 'TRAINYARD_KEEP_JOB_OBJECTS'];

/**
 * The API and a worker as separate processes, as `npm start` runs them (so each has its own memory figures), on a
 * database of their own in the bench's PostgreSQL, the bench's Temporal, and their own task-queue prefix.
 * Set BENCH_SERVICE_LOGS=1 to see their output.
 */
export async function startServiceStack(options: StackOptions = {}): Promise<ServiceStack> {
  if (!process.env.TEMPORAL_ADDRESS) throw new Error('TEMPORAL_ADDRESS must point at a Temporal server (npm run bench starts one)');
  const db = await createTestDatabase();
  const apiDataDir = await mkdtemp(join(tmpdir(), 'trainyard-bench-api-'));
  const workerDataDir = options.separateDataDirs ? await mkdtemp(join(tmpdir(), 'trainyard-bench-worker-')) : apiDataDir;
  const token = `ty_bench_${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !NOT_INHERITED.includes(k)) base[k] = v;
  const shared = {
    ...base,
    DATABASE_URL: db.url,
    TRAINYARD_ADMIN_TOKEN: token,
    TRAINYARD_QUEUE_PREFIX: `b${randomBytes(4).toString('hex')}-`,
    TRAINYARD_MAX_UPLOAD_BYTES: String(4 * 1024 ** 3),
    // As npm start runs them (serviceEnv in scripts/services.mjs).
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    ...options.env,
  };
  // As npm start runs them (SERVICE_NODE_ARGS in scripts/services.mjs; spawnService adds --enable-source-maps).
  const flags = (own: string[] | undefined, variable: string) => ['--max-semi-space-size=4', ...(own ?? []), ...(process.env[variable]?.split(' ').filter(Boolean) ?? [])];
  const api = spawnService('api', [...flags(options.apiNodeArgs, 'BENCH_API_NODE_ARGS'), API_MAIN], { ...shared, TRAINYARD_DATA_DIR: apiDataDir, TRAINYARD_PORT: String(port) });
  const worker = spawnService('worker', [...flags(options.workerNodeArgs, 'BENCH_WORKER_NODE_ARGS'), WORKER_MAIN], { ...shared, TRAINYARD_DATA_DIR: workerDataDir });
  const url = `http://127.0.0.1:${port}`;
  let forget: () => void = () => undefined;
  const stop = async () => {
    forget();
    await Promise.all([stopProcess(worker), stopProcess(api)]);
    await db.drop().catch(() => undefined);
    await rm(apiDataDir, { recursive: true, force: true });
    if (workerDataDir !== apiDataDir) await rm(workerDataDir, { recursive: true, force: true });
  };
  forget = atInterrupt(stop);
  try {
    await Promise.all([waitUntil(api, async () => (await fetch(`${url}/health`)).ok), waitUntil(worker, async () => worker.output().includes('worker ready'))]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, token, api, worker, client: new ApiClient(url, token), databaseUrl: db.url, apiDataDir, workerDataDir, stop };
}

function spawnService(name: string, args: string[], env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const echo = process.env.BENCH_SERVICE_LOGS === '1';
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      if (echo) console.log(`[${name}] ${line}`);
    }
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return { name, child, pid: child.pid!, output: () => lines.join('\n') };
}

async function waitUntil(service: ServiceProcess, ready: () => Promise<boolean>, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) throw new Error(`${service.name} exited before it was ready:\n${service.output()}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${service.name} not ready after ${timeoutMs / 1000} s:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopProcess(service: ServiceProcess, graceMs = 15_000): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
