#!/usr/bin/env node
// @ts-check
// `npm start`: everything on one machine with embedded defaults. A PostgreSQL cluster in the data dir and
// `temporal server start-dev` unless DATABASE_URL / TEMPORAL_ADDRESS point elsewhere; then migrations, the API and
// one worker. A process that exits on its own is restarted with backoff; Ctrl-C stops them all.
//   --services-only  start only the database and Temporal, print their addresses
//   --no-build       skip the TypeScript build
import fs from 'node:fs';
import path from 'node:path';
// Only node builtins and setup.mjs are imported statically: on a fresh clone nothing else is installed until
// ensureSetup() has run, so every other module is imported after it.
import { ensureSetup, repoRoot, toolEnv } from './setup.mjs';

const flags = new Set(process.argv.slice(2));
const servicesOnly = flags.has('--services-only');
const env = process.env;
const host = env.TRAINYARD_HOST ?? '127.0.0.1';
const apiPort = Number(env.TRAINYARD_PORT ?? 3000);
const dbPort = Number(env.TRAINYARD_DB_PORT ?? 5433);
const temporalPort = Number(env.TEMPORAL_PORT ?? 7233);
const temporalUiPort = Number(env.TEMPORAL_UI_PORT ?? 8233);
const dataDir = path.resolve(env.TRAINYARD_DATA_DIR ?? path.join(repoRoot, '.data'));
const tokenFile = path.join(dataDir, 'admin-token');
const sampleCsv = path.join(repoRoot, 'scripts', 'sample-data', 'churn.csv');

const say = (/** @type {string} */ line) => console.log(`[start] ${line}`);
/** @type {import('./supervisor.mjs').Supervisor | null} */
let supervisor = null;
/** @type {Promise<void> | null} */
let stopping = null;

/** Stops every child, newest first, then exits with `code`. */
function shutdown(/** @type {number} */ code, /** @type {string} */ reason) {
  stopping ??= (async () => {
    if (reason) say(reason);
    await supervisor?.stop();
    process.exit(code);
  })();
  return stopping;
}

process.on('SIGINT', () => void shutdown(0, 'stopping ...'));
process.on('SIGTERM', () => void shutdown(0, 'stopping ...'));
// Last resort when we die without running shutdown(): children live in their own process groups.
process.on('exit', () => supervisor?.running().forEach((c) => c.kill('SIGKILL')));

async function httpOk(/** @type {string} */ url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}

/** Uploads the bundled CSV; the API answers an identical re-upload with the existing dataset. */
async function registerSample(/** @type {string} */ apiUrl, /** @type {string} */ token) {
  if (!fs.existsSync(sampleCsv)) return { error: `${path.relative(repoRoot, sampleCsv)} is missing` };
  const form = new FormData();
  form.append('name', 'churn-sample');
  form.append('file', new Blob([fs.readFileSync(sampleCsv)], { type: 'text/csv' }), 'churn.csv');
  const res = await fetch(`${apiUrl}/v1/datasets`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = await res.json().catch(() => null);
  if (!res.ok || !body?.id) return { error: `POST /v1/datasets → ${res.status} ${JSON.stringify(body)}` };
  return { id: /** @type {string} */ (body.id) };
}

/**
 * Trains the sample once per data dir: the Idempotency-Key names the dataset, so a later start gets the first
 * job back instead of a new one.
 * @returns {Promise<{ id: string, status: string, created: boolean } | { error: string }>}
 */
async function trainSample(/** @type {string} */ apiUrl, /** @type {string} */ token, /** @type {string} */ datasetId) {
  const res = await fetch(`${apiUrl}/v1/training-jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `sample-${datasetId}` },
    body: JSON.stringify({ name: 'churn-sample', datasetId, target: 'churned', exclude: ['customer_id'], model: { type: 'xgboost' }, tags: { sample: 'true' } }),
  });
  const body = await res.json().catch(() => null);
  if (!res.ok || !body?.id) return { error: `POST /v1/training-jobs → ${res.status} ${JSON.stringify(body)}` };
  return { id: body.id, status: body.status, created: res.status === 201 };
}

function printBox(/** @type {string[]} */ lines) {
  const width = Math.max(...lines.map((l) => l.length));
  const bar = '─'.repeat(width + 2);
  console.log(`┌${bar}┐\n${lines.map((l) => `│ ${l.padEnd(width)} │`).join('\n')}\n└${bar}┘`);
}

/**
 * The banner. The admin token itself is shown only when this start generated it; otherwise it says where the
 * token is, and the commands read it from there.
 * @param {{ apiUrl: string, uiUrl: string | null, token: { value: string | null, shown: boolean }, datasetId?: string, sampleError?: string, job?: { id: string, status: string, created: boolean } | { error: string } }} info
 */
function startedBanner({ apiUrl, uiUrl, token, datasetId, sampleError, job }) {
  const tokenLine = token.shown
    ? `${token.value} (new: shown only now)`
    : env.TRAINYARD_ADMIN_TOKEN
      ? 'TRAINYARD_ADMIN_TOKEN'
      : `in ${tokenFile}`;
  const authValue = env.TRAINYARD_ADMIN_TOKEN ? '$TRAINYARD_ADMIN_TOKEN' : `$(cat ${tokenFile})`;
  const auth = `-H "Authorization: Bearer ${authValue}"`;
  const body = JSON.stringify({ datasetId: datasetId ?? '<dataset id>', target: 'churned', model: { type: 'xgboost' } });
  printBox([
    'Trainyard is running',
    '',
    `API          ${apiUrl}`,
    `API docs     ${apiUrl}/docs`,
    `Temporal UI  ${uiUrl ?? '(external Temporal)'}`,
    `Admin token  ${tokenLine}`,
    `Dashboard    ${apiUrl}/`,
    `Sample data  ${datasetId ?? `not registered: ${sampleError}`}`,
    `Sample job   ${!job ? '(none)' : 'error' in job ? `not submitted: ${job.error}` : `${job.id} (${job.created ? 'training now' : job.status}): ${apiUrl}/#/jobs/${job.id}`}`,
  ]);
  console.log(`
Train on the sample again (or on your own data):
  curl -s -X POST ${apiUrl}/v1/training-jobs ${auth} -H "Content-Type: application/json" \\
    -d '${body}'
Watch it (use the "id" from the answer):
  curl -s ${apiUrl}/v1/training-jobs/<job id> ${auth}
  curl -N ${apiUrl}/v1/training-jobs/<job id>/logs ${auth} -H "Accept: text/event-stream"
Stop with Ctrl-C.
`);
}

/**
 * Data dirs from before the object store kept uploads in `datasets/` and ONNX files in `artifacts/`; their database
 * rows now name the same relative paths as object keys, so moving the two folders into the default store keeps
 * every dataset and model. Job working folders (`jobs/`) are left alone: nothing reads them any more.
 * @param {string} dir
 */
function moveLegacyFiles(dir) {
  const store = path.join(dir, 'store');
  for (const name of ['datasets', 'artifacts']) {
    const from = path.join(dir, name);
    const to = path.join(store, name);
    if (!fs.existsSync(from) || fs.existsSync(to)) continue;
    fs.mkdirSync(store, { recursive: true, mode: 0o700 });
    fs.renameSync(from, to);
    say(`moved ${path.relative(repoRoot, from) || from} into the object store (${path.relative(repoRoot, to) || to})`);
  }
}

async function main() {
  const tools = ensureSetup({ build: !servicesOnly && !flags.has('--no-build') });
  const services = await import('./services.mjs');
  const { embeddedPostgres, EMBEDDED_POOL_MAX } = await import('./postgres.mjs');
  const { Supervisor } = await import('./supervisor.mjs');
  const keeper = new Supervisor(say);
  supervisor = keeper;

  // The data dir holds the admin token, the database password and every dataset: its owner's alone. As root the
  // postgres system user must still pass through it to its cluster, hence x for others (but no listing).
  fs.mkdirSync(dataDir, { recursive: true, mode: process.getuid?.() === 0 ? 0o711 : 0o700 });
  if (!env.TRAINYARD_STORAGE_URL) moveLegacyFiles(dataDir);
  /** @type {NodeJS.ProcessEnv} */
  const childEnv = services.serviceEnv({ ...env, ...toolEnv(tools), TRAINYARD_DATA_DIR: dataDir, TRAINYARD_HOST: host, TRAINYARD_PORT: String(apiPort) });
  childEnv.TEMPORAL_NAMESPACE ??= 'default';

  /** @type {[number, string][]} */
  const ports = [];
  if (!env.DATABASE_URL) ports.push([dbPort, 'TRAINYARD_DB_PORT']);
  if (!env.TEMPORAL_ADDRESS) ports.push([temporalPort, 'TEMPORAL_PORT'], [temporalUiPort, 'TEMPORAL_UI_PORT']);
  if (!servicesOnly) ports.push([apiPort, 'TRAINYARD_PORT']);
  for (const [port, envVar] of ports) {
    if (!(await services.isPortFree(port, '127.0.0.1'))) throw new Error(`port ${port} is in use; set ${envVar} to another port`);
  }

  // The database and Temporal start side by side; migrations need only the database.
  let database = Promise.resolve();
  if (!env.DATABASE_URL) {
    const db = embeddedPostgres({ dataDir, port: dbPort, say });
    const child = keeper.keep('db', () => db.spawn(), { afterRestart: db.ready });
    childEnv.DATABASE_URL = db.url;
    childEnv.TRAINYARD_DB_POOL_MAX ??= String(EMBEDDED_POOL_MAX);
    database = db.ready(child).then(() => say(`PostgreSQL ${db.version} on 127.0.0.1:${dbPort} (password in ${path.join(dataDir, 'db-password')})`));
  }
  // From here on everything the stack writes (Temporal's database, the API's and the worker's files) is private:
  // the children inherit this mask. Set after the database is prepared, whose binaries the postgres user must read.
  process.umask(0o077);
  let uiUrl = null;
  let temporal = Promise.resolve();
  if (!env.TEMPORAL_ADDRESS) {
    const options = { cli: /** @type {string} */ (tools.temporalCli), port: temporalPort, uiPort: temporalUiPort, dbFile: path.join(dataDir, 'temporal.db'), env: childEnv };
    const address = `127.0.0.1:${temporalPort}`;
    const ready = (/** @type {import('node:child_process').ChildProcess} */ c) => services.waitForTemporal(options.cli, address, c);
    const child = keeper.keep('temporal', () => services.spawnTemporalDevServer(options), { afterRestart: ready });
    childEnv.TEMPORAL_ADDRESS = address;
    uiUrl = `http://127.0.0.1:${temporalUiPort}`;
    childEnv.TRAINYARD_TEMPORAL_UI_URL ??= uiUrl;
    temporal = ready(child).then(() => say(`Temporal dev server at ${address}`));
  }

  if (servicesOnly) {
    await Promise.all([database, temporal]);
    console.log(`\nDATABASE_URL=${childEnv.DATABASE_URL}\nTEMPORAL_ADDRESS=${childEnv.TEMPORAL_ADDRESS}`);
    if (uiUrl) console.log(`Temporal UI: ${uiUrl}`);
    console.log('Services are up; Ctrl-C stops them.');
    return;
  }

  const dist = (/** @type {string[]} */ ...p) => path.join(repoRoot, 'dist', ...p);
  for (const entry of [dist('libs/db/src/cli/migrate.js'), dist('apps/api/src/main.js'), dist('apps/worker/src/main.js')]) {
    if (!fs.existsSync(entry)) throw new Error(`${path.relative(repoRoot, entry)} is missing; the build did not produce it`);
  }
  await database;
  const migrated = await services.runPrefixed('migrate', process.execPath, [dist('libs/db/src/cli/migrate.js')], { env: childEnv });
  if (migrated !== 0) throw new Error(`migrations failed (exit ${migrated})`);
  await temporal;

  const tokenExisted = fs.existsSync(tokenFile);
  const nodeArgs = services.SERVICE_NODE_ARGS;
  keeper.keep('api', () => services.spawnService('api', process.execPath, [...nodeArgs, dist('apps/api/src/main.js')], { env: childEnv }));
  /** @type {Promise<void>} */
  let workerReady = new Promise(() => undefined);
  keeper.keep('worker', () => {
    const child = services.spawnService('worker', process.execPath, [...nodeArgs, dist('apps/worker/src/main.js')], { env: childEnv });
    workerReady = new Promise((resolve) => child.stdout?.on('data', (chunk) => String(chunk).includes('worker ready') && resolve()));
    return child;
  });

  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host; // a wildcard bind is reached via loopback
  const apiUrl = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${apiPort}`;
  await services.waitFor('API /health', () => httpOk(`${apiUrl}/health`), { timeoutMs: 120_000, intervalMs: 250 });
  await Promise.race([workerReady, services.sleep(60_000)]);
  const tokenValue = env.TRAINYARD_ADMIN_TOKEN || (fs.existsSync(tokenFile) ? fs.readFileSync(tokenFile, 'utf8').trim() : null);
  const token = { value: tokenValue, shown: !env.TRAINYARD_ADMIN_TOKEN && !tokenExisted && tokenValue !== null };
  const sample = tokenValue ? await registerSample(apiUrl, tokenValue).catch((err) => ({ error: err.message })) : { error: `no admin token in ${tokenFile}` };
  if (stopping) return;
  const datasetId = 'id' in sample ? sample.id : undefined;
  const job = datasetId && tokenValue ? await trainSample(apiUrl, tokenValue, datasetId).catch((err) => ({ error: err.message })) : undefined;
  if (stopping) return;
  startedBanner({ apiUrl, uiUrl, token, datasetId, sampleError: 'error' in sample ? sample.error : undefined, job });
}

main().catch(async (err) => {
  if (stopping) return;
  console.error(`[start] ${err.message}`);
  await new Promise((resolve) => setTimeout(resolve, 100)); // let children's last lines through
  await shutdown(1, '');
});
