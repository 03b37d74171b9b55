#!/usr/bin/env node
// `npm start`: everything on one machine with embedded defaults. PGlite stands in
// for Postgres and `temporal server start-dev` for Temporal unless DATABASE_URL /
// TEMPORAL_ADDRESS point elsewhere; then migrations, the API and one worker.
//   --services-only  start only the database and Temporal, print their addresses
//   --no-build       skip the TypeScript build
import fs from 'node:fs';
import path from 'node:path';
// Only node builtins and setup.mjs are imported statically: on a fresh clone nothing else is installed until
// ensureSetup() has run, so every other module is imported after it.
import { ensureSetup, repoRoot, toolEnv } from './setup.mjs';

/** @type {typeof import('./services.mjs')} */
let services;

const flags = new Set(process.argv.slice(2));
const servicesOnly = flags.has('--services-only');
const env = process.env;
const host = env.TRAINYARD_HOST ?? '127.0.0.1';
const apiPort = Number(env.TRAINYARD_PORT ?? 3000);
const dbPort = Number(env.TRAINYARD_DB_PORT ?? 5433);
const temporalPort = Number(env.TEMPORAL_PORT ?? 7233);
const temporalUiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
const dataDir = path.resolve(env.TRAINYARD_DATA_DIR ?? path.join(repoRoot, '.data'));
const sampleCsv = path.join(repoRoot, 'scripts', 'sample-data', 'churn.csv');

const say = (line) => console.log(`[start] ${line}`);
const children = [];
let stopping = null;

/** Stops children newest first; exits with `code`. */
function shutdown(code, reason) {
  stopping ??= (async () => {
    if (reason) say(reason);
    for (const child of [...children].reverse()) await services.stopChild(child);
    process.exit(code);
  })();
  return stopping;
}

function track(child) {
  children.push(child);
  child.on('exit', (code, signal) => {
    if (stopping) return;
    void shutdown(1, `${child.serviceName} exited (${signal ?? `code ${code}`}); stopping everything`);
  });
  return child;
}

process.on('SIGINT', () => void shutdown(0, 'stopping ...'));
process.on('SIGTERM', () => void shutdown(0, 'stopping ...'));
// Last resort when we die without running shutdown(): children live in their own process groups.
process.on('exit', () => children.filter((c) => c.exitCode === null && c.signalCode === null).forEach((c) => c.kill('SIGKILL')));

async function assertPortsFree(ports) {
  for (const [port, envVar] of ports) {
    if (!(await services.isPortFree(port, '127.0.0.1'))) throw new Error(`port ${port} is in use; set ${envVar} to another port`);
  }
}

async function startDatabase(childEnv) {
  const child = track(
    services.spawnService('db', process.execPath, [path.join(repoRoot, 'scripts', 'embedded-postgres.mjs'), path.join(dataDir, 'pglite')], {
      env: { ...childEnv, TRAINYARD_DB_PORT: String(dbPort), TRAINYARD_DB_EXIT_WITH_STDIN: '1' },
    }),
  );
  await services.waitForPort(dbPort, '127.0.0.1', { child, timeoutMs: 120_000 });
  return `postgres://postgres:postgres@127.0.0.1:${dbPort}/postgres`;
}

async function httpOk(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}

async function readAdminToken() {
  if (env.TRAINYARD_ADMIN_TOKEN) return env.TRAINYARD_ADMIN_TOKEN;
  const file = path.join(dataDir, 'admin-token');
  return services.waitFor('admin token file', async () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim(), {
    timeoutMs: 10_000,
  }).catch(() => null);
}

/** Uploads the bundled CSV; the API answers an identical re-upload with the existing dataset. */
async function registerSample(apiUrl, token) {
  if (!fs.existsSync(sampleCsv)) return { error: `${path.relative(repoRoot, sampleCsv)} is missing` };
  const form = new FormData();
  form.append('name', 'churn-sample');
  form.append('file', new Blob([fs.readFileSync(sampleCsv)], { type: 'text/csv' }), 'churn.csv');
  const res = await fetch(`${apiUrl}/v1/datasets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const body = await res.json().catch(() => null);
  if (!res.ok || !body?.id) return { error: `POST /v1/datasets → ${res.status} ${JSON.stringify(body)}` };
  return { id: body.id };
}

function printBox(lines) {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '─'.repeat(width + 2);
  console.log(`┌${bar}┐\n${lines.map((l) => `│ ${l.padEnd(width)} │`).join('\n')}\n└${bar}┘`);
}

function startedBanner({ apiUrl, uiUrl, token, datasetId, sampleError }) {
  const auth = `-H "Authorization: Bearer ${token ?? '<admin token>'}"`;
  const body = JSON.stringify({ datasetId: datasetId ?? '<dataset id>', target: 'churned', model: { type: 'xgboost' } });
  printBox([
    'Trainyard is running',
    '',
    `API          ${apiUrl}`,
    `API docs     ${apiUrl}/docs`,
    `Temporal UI  ${uiUrl ?? '(external Temporal)'}`,
    `Admin token  ${token ?? `(not found: set TRAINYARD_ADMIN_TOKEN or see ${path.join(dataDir, 'admin-token')})`}`,
    `Sample data  ${datasetId ?? `not registered: ${sampleError}`}`,
  ]);
  console.log(`
Train on the sample:
  curl -s -X POST ${apiUrl}/v1/training-jobs ${auth} -H "Content-Type: application/json" \\
    -d '${body}'
Watch it (use the "id" from the answer):
  curl -s ${apiUrl}/v1/training-jobs/<job id> ${auth}
  curl -N ${apiUrl}/v1/training-jobs/<job id>/logs ${auth} -H "Accept: text/event-stream"
Stop with Ctrl-C.
`);
}

async function main() {
  const tools = ensureSetup({ build: !servicesOnly && !flags.has('--no-build') });
  services = await import('./services.mjs');
  fs.mkdirSync(dataDir, { recursive: true });
  const childEnv = { ...env, ...toolEnv(tools), TRAINYARD_DATA_DIR: dataDir, TRAINYARD_HOST: host, TRAINYARD_PORT: String(apiPort) };
  childEnv.TEMPORAL_NAMESPACE ??= 'default';

  const ports = [];
  if (!env.DATABASE_URL) ports.push([dbPort, 'TRAINYARD_DB_PORT']);
  if (!env.TEMPORAL_ADDRESS) ports.push([temporalPort, 'TEMPORAL_PORT'], [temporalUiPort, 'TEMPORAL_UI_PORT']);
  if (!servicesOnly) ports.push([apiPort, 'TRAINYARD_PORT']);
  await assertPortsFree(ports);

  if (!env.DATABASE_URL) {
    childEnv.DATABASE_URL = await startDatabase(childEnv);
    childEnv.TRAINYARD_DB_POOL_MAX ??= String((await import('./embedded-postgres.mjs')).RECOMMENDED_POOL_MAX);
    say(`embedded database (PGlite) at ${childEnv.DATABASE_URL}`);
  }
  let uiUrl = null;
  if (!env.TEMPORAL_ADDRESS) {
    const { address } = await services.startTemporalDevServer({
      cli: tools.temporalCli,
      port: temporalPort,
      uiPort: temporalUiPort,
      dbFile: path.join(dataDir, 'temporal.db'),
      env: childEnv,
      onSpawn: track,
    });
    childEnv.TEMPORAL_ADDRESS = address;
    uiUrl = `http://127.0.0.1:${temporalUiPort}`;
    say(`Temporal dev server at ${address}`);
  }

  if (servicesOnly) {
    console.log(`\nDATABASE_URL=${childEnv.DATABASE_URL}\nTEMPORAL_ADDRESS=${childEnv.TEMPORAL_ADDRESS}`);
    if (uiUrl) console.log(`Temporal UI: ${uiUrl}`);
    console.log('Services are up; Ctrl-C stops them.');
    return;
  }

  const dist = (...p) => path.join(repoRoot, 'dist', ...p);
  for (const entry of [dist('libs/db/src/cli/migrate.js'), dist('apps/api/src/main.js'), dist('apps/worker/src/main.js')]) {
    if (!fs.existsSync(entry)) throw new Error(`${path.relative(repoRoot, entry)} is missing; the build did not produce it`);
  }
  const migrated = await services.runPrefixed('migrate', process.execPath, [dist('libs/db/src/cli/migrate.js')], { env: childEnv });
  if (migrated !== 0) throw new Error(`migrations failed (exit ${migrated})`);

  const nodeArgs = ['--enable-source-maps'];
  track(services.spawnService('api', process.execPath, [...nodeArgs, dist('apps/api/src/main.js')], { env: childEnv }));
  track(services.spawnService('worker', process.execPath, [...nodeArgs, dist('apps/worker/src/main.js')], { env: childEnv }));

  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host; // a wildcard bind is reached via loopback
  const apiUrl = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${apiPort}`;
  await services.waitFor('API /health', () => httpOk(`${apiUrl}/health`), { timeoutMs: 120_000, intervalMs: 500 });
  const token = await readAdminToken();
  const sample = token ? await registerSample(apiUrl, token).catch((err) => ({ error: err.message })) : { error: 'no admin token' };
  if (stopping) return;
  startedBanner({ apiUrl, uiUrl, token, datasetId: sample.id, sampleError: sample.error });
}

main().catch(async (err) => {
  if (stopping) return;
  console.error(`[start] ${err.message}`);
  await new Promise((resolve) => setTimeout(resolve, 100)); // let children's last lines through
  await shutdown(1);
});
