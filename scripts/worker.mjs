#!/usr/bin/env node
// @ts-check
// `npm run worker`: one more worker for an existing deployment, on this machine. It shares only PostgreSQL,
// Temporal and the object store with the rest, so those three must be given; its data dir is its own cache.
// The worker is restarted with backoff when it crashes; Ctrl-C stops it.
import path from 'node:path';
// Only node builtins and setup.mjs statically: the rest is imported once ensureSetup() has installed it.
import { ensureSetup, repoRoot, toolEnv } from './setup.mjs';

const say = (/** @type {string} */ line) => console.log(`[npm run worker] ${line}`);

const REQUIRED = {
  TEMPORAL_ADDRESS: 'host:port of the Temporal frontend, e.g. temporal.internal:7233',
  DATABASE_URL: 'the deployment\'s PostgreSQL, e.g. postgres://trainyard:secret@db.internal:5432/trainyard',
  TRAINYARD_STORAGE_URL: 'the shared object store, s3://bucket/prefix (with AWS_* settings), or file:///path on a mount every process sees',
};

function checkEnvironment() {
  const missing = Object.keys(REQUIRED).filter((key) => !process.env[key]);
  const storage = process.env.TRAINYARD_STORAGE_URL;
  const problems = missing.map((key) => `  ${key}: ${REQUIRED[/** @type {keyof typeof REQUIRED} */ (key)]}`);
  if (storage && !/^(s3|file):\/\//.test(storage)) problems.push(`  TRAINYARD_STORAGE_URL must start with s3:// or file://, got "${storage}"`);
  if (problems.length) {
    console.error(`[worker] a worker joins an existing deployment and needs:\n${problems.join('\n')}`);
    process.exit(2);
  }
}

async function main() {
  checkEnvironment();
  const tools = ensureSetup({ temporal: false, build: !process.argv.includes('--no-build') });
  const { spawnService, serviceEnv, SERVICE_NODE_ARGS } = await import('./services.mjs');
  const { Supervisor } = await import('./supervisor.mjs');
  const keeper = new Supervisor(say);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    say('stopping ...');
    await keeper.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('exit', () => keeper.running().forEach((c) => c.kill('SIGKILL')));

  const dataDir = path.resolve(process.env.TRAINYARD_DATA_DIR ?? path.join(repoRoot, '.data'));
  /** @type {NodeJS.ProcessEnv} */
  const env = serviceEnv({ ...process.env, ...toolEnv(tools), TRAINYARD_DATA_DIR: dataDir });
  const entry = path.join(repoRoot, 'dist', 'apps', 'worker', 'src', 'main.js');
  say(`joining Temporal at ${env.TEMPORAL_ADDRESS} (queues ${env.TRAINYARD_WORKER_QUEUES ?? 'cpu'}); local cache in ${dataDir}`);
  keeper.keep('worker', () => spawnService('worker', process.execPath, [...SERVICE_NODE_ARGS, entry], { env }));
}

main().catch((err) => {
  console.error(`[worker] ${err.message}`);
  process.exit(1);
});
