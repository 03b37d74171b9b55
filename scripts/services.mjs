// @ts-check
// Process and port helpers shared by scripts/start.mjs and scripts/test.mjs.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import readline from 'node:readline';

/**
 * A long-running child: `serviceName` prefixes its output, `stopSignal` is how it wants to be stopped, `stopping`
 * marks an exit that was asked for.
 * @typedef {import('node:child_process').ChildProcess & { serviceName?: string, stopSignal?: NodeJS.Signals, stopping?: boolean }} ServiceChild
 */

export const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Dynamic config for every dev server we start: task priorities, strictly ordered on one partition. */
/**
 * Node flags of the API and worker processes (the Dockerfiles repeat them). V8 grows each isolate's young generation
 * to 16 MB per semi-space under load and keeps it: at 4 MB an idle `npm start` holds about 60 MB less, and a
 * scavenge every 4 MB of short-lived objects costs little.
 */
export const SERVICE_NODE_ARGS = ['--enable-source-maps', '--max-semi-space-size=4'];

/**
 * Environment of the API and worker processes (the Dockerfiles repeat it), unless the caller set it. glibc gives each
 * thread that allocates (CSV parser threads, the engine thread, OpenMP's) an arena of its own, and freed blocks stay
 * in it: with two arenas a 2M-row job peaked at 904 MB in the worker instead of 984, and less stays held between jobs.
 * @param {NodeJS.ProcessEnv} env
 * @returns {NodeJS.ProcessEnv}
 */
export function serviceEnv(env) {
  return { MALLOC_ARENA_MAX: '2', ...env };
}

export const TEMPORAL_DEV_CONFIG = [
  'matching.useNewMatcher=true',
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
];

/**
 * Custom search attributes every dev server registers (name → type), kept in one file that compose's setup step
 * reads too; TrainyardKind is one of training, study, schedule, delivery, retention.
 * @type {Record<string, string>}
 */
export const SEARCH_ATTRIBUTES = JSON.parse(fs.readFileSync(new URL('./search-attributes.json', import.meta.url), 'utf8'));

/** @param {number} port */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * The settings a throwaway test stack runs with (npm test, npm run record-histories); the caller's own values win.
 * @param {NodeJS.ProcessEnv} env
 */
export function withTestDefaults(env) {
  env.TRAINYARD_TEMPORAL_LOG_LEVEL ||= 'ERROR'; // tests fail jobs on purpose; the SDK would log each as a warning
  env.TRAINYARD_WEBHOOK_ALLOW_PRIVATE ||= 'true'; // test receivers listen on 127.0.0.1
  return env;
}

/** @returns {Promise<number>} */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** @param {number} port @param {string} host @returns {Promise<boolean>} */
function canConnect(port, host) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Polls `check` until it returns truthy; fails early if `child` exits.
 * @template T
 * @param {string} what
 * @param {() => Promise<T>} check
 * @param {{ timeoutMs?: number, intervalMs?: number, child?: import('node:child_process').ChildProcess }} [options]
 * @returns {Promise<T>}
 */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 300, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what}: process exited with code ${child.exitCode}`);
    if (child && child.signalCode) throw new Error(`${what}: process was killed by ${child.signalCode}`);
    const result = await check().catch(() => null);
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000}s`);
    await sleep(intervalMs);
  }
}

export const waitForPort = (/** @type {number} */ port, host = '127.0.0.1', opts = {}) =>
  waitFor(`port ${host}:${port}`, () => canConnect(port, host), opts);

/**
 * Pipes a child's stdout/stderr line by line to ours, each line prefixed with `[name]`.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} name
 * @param {{ filter?: (line: string) => boolean }} [options]
 */
export function prefixOutput(child, name, { filter = () => true } = {}) {
  const prefix = `[${name}]`;
  /** @type {[import('node:stream').Readable | null, NodeJS.WriteStream][]} */
  const pairs = [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ];
  for (const [stream, out] of pairs) {
    if (!stream) continue;
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (filter(line)) out.write(`${prefix} ${line}\n`);
    });
  }
}

/**
 * Spawns a long-running child in its own process group so a terminal Ctrl-C reaches only us.
 * @param {string} name
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions & { filter?: (line: string) => boolean }} [options]
 * @returns {ServiceChild}
 */
export function spawnService(name, cmd, args, { env = process.env, cwd, filter, ...rest } = {}) {
  /** @type {ServiceChild} */
  const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true, ...rest });
  child.serviceName = name;
  child.on('error', (err) => process.stderr.write(`[${name}] failed to start: ${err.message}\n`));
  prefixOutput(child, name, { filter });
  return child;
}

/** @param {import('node:child_process').ChildProcess} child */
export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * SIGTERM (or `signal`, or the child's own stopSignal), then SIGKILL after graceMs. Resolves when it has exited.
 * @param {ServiceChild | null | undefined} child
 * @param {{ signal?: NodeJS.Signals, graceMs?: number }} [options]
 */
export async function stopChild(child, { signal = child?.stopSignal ?? 'SIGTERM', graceMs = 10_000 } = {}) {
  if (!child || !isRunning(child) || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stopping = true;
  child.kill(signal);
  const timer = setTimeout(() => isRunning(child) && child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Checks the frontend with `temporal operator cluster health` (SERVING). */
/** @param {string} cli @param {string} address @returns {Promise<boolean>} */
export function temporalHealthy(cli, address) {
  return new Promise((resolve) => {
    const probe = spawn(cli, ['operator', 'cluster', 'health', '--address', address], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    probe.stdout.on('data', (d) => (out += d));
    probe.on('error', () => resolve(false));
    probe.on('exit', (code) => resolve(code === 0 && out.includes('SERVING')));
  });
}

/**
 * `dynamicConfig` adds `key=value` settings to TEMPORAL_DEV_CONFIG (the history recorder lowers the continue-as-new hint).
 * @typedef {{ cli: string, port: number, uiPort?: number, dbFile?: string, headless?: boolean, name?: string, env?: NodeJS.ProcessEnv, dynamicConfig?: string[] }} DevServerOptions
 */

/**
 * Spawns `temporal server start-dev` (with our dynamic config and search attributes); does not wait.
 * @param {DevServerOptions} options
 */
export function spawnTemporalDevServer({ cli, port, uiPort, dbFile, headless = false, name = 'temporal', env, dynamicConfig = [] }) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  args.push(...(headless ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (dbFile) args.push('--db-filename', dbFile);
  for (const value of [...TEMPORAL_DEV_CONFIG, ...dynamicConfig]) args.push('--dynamic-config-value', value);
  for (const [attr, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${attr}=${type}`);
  // Startup chatter that says nothing actionable.
  const noise = /Cluster Id in Cluster Metadata config is not a valid uuid|unable to add metrics baggage/;
  // While stopping, the server's internal workers warn about every connection they lose.
  const filter = (/** @type {string} */ line) => line.trim() !== '' && !noise.test(line) && !(child.stopping && /level=WARN/.test(line));
  const child = spawnService(name, cli, args, { env, filter });
  return child;
}

/**
 * Resolves when the dev server at `address` serves; fails early if `child` exits.
 * @param {string} cli @param {string} address @param {import('node:child_process').ChildProcess} child
 */
export function waitForTemporal(cli, address, child) {
  return waitFor('Temporal dev server', () => temporalHealthy(cli, address), { child, timeoutMs: 90_000, intervalMs: 300 });
}

/**
 * Starts `temporal server start-dev` and waits until it serves. Returns { child, address }.
 * @param {DevServerOptions & { onSpawn?: (child: ServiceChild) => void }} options
 */
export async function startTemporalDevServer({ onSpawn, ...options }) {
  const child = spawnTemporalDevServer(options);
  onSpawn?.(child);
  const address = `127.0.0.1:${options.port}`;
  await waitForTemporal(options.cli, address, child);
  return { child, address };
}

/**
 * Runs a command to completion with prefixed output; resolves with its exit code.
 * @param {string} name @param {string} cmd @param {string[]} args @param {import('node:child_process').SpawnOptions} [opts]
 * @returns {Promise<number>}
 */
export function runPrefixed(name, cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    prefixOutput(child, name);
    child.on('error', (err) => {
      process.stderr.write(`[${name}] ${err.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** @param {string} cmd */
export function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** The bucket that npm test's object store starts with. */
export const TEST_BUCKET = 'trainyard-test';

/**
 * Starts SeaweedFS (`weed server -s3`: master, volume, filer and S3 gateway) on free loopback ports with its data in
 * `dir`, one S3 identity with a generated key, and `bucket` created; waits until S3 answers. Returns the child and
 * the environment a client needs (TRAINYARD_TEST_S3_URL, AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, ...).
 * @param {{ weed: string, dir: string, bucket?: string, name?: string, env?: NodeJS.ProcessEnv }} options
 */
export async function startSeaweedFs({ weed, dir, bucket = TEST_BUCKET, name = 's3', env = process.env }) {
  const { randomBytes } = await import('node:crypto');
  const path = await import('node:path');
  const accessKeyId = `trainyard${randomBytes(6).toString('hex')}`;
  const secretAccessKey = randomBytes(24).toString('base64url');
  const s3Config = path.join(dir, 's3.json');
  const identity = { name: 'trainyard', credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }], actions: ['Admin', 'Read', 'List', 'Tagging', 'Write'] };
  fs.writeFileSync(s3Config, JSON.stringify({ identities: [identity] }), { mode: 0o600 });
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = await distinctFreePorts(8);
  const args = [
    'server',
    `-dir=${dir}`,
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    '-master.volumeSizeLimitMB=64', // small volumes: each one is preallocated in memory maps and indexes
    '-master.volumePreallocate=false',
    '-master.telemetry=false',
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    '-volume.max=64',
    '-volume.preStopSeconds=0',
    '-filer',
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    `-filer.localSocket=${path.join(dir, 'filer.sock')}`,
    '-s3',
    `-s3.port=${s3}`,
    `-s3.port.grpc=${s3Grpc}`,
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    `-s3.localSocket=${path.join(dir, 's3.sock')}`,
    `-s3.config=${s3Config}`,
  ];
  // weed logs every volume it grows at INFO and warns about production hardening (glog: I/W + date); its STS
  // service, which nothing here uses, complains at start that it has no signing key.
  const filter = (/** @type {string} */ line) => line.trim() !== '' && !/^[IW]\d{4} /.test(line) && !/no signing key found for STS/.test(line);
  // weed turns AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY into a second admin identity: keep the caller's out.
  const weedEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('AWS_')));
  const child = spawnService(name, weed, args, { env: weedEnv, cwd: dir, filter });
  const endpoint = `http://127.0.0.1:${s3}`;
  // Any S3 answer (an anonymous request is refused with an XML error) means the gateway serves.
  const s3Answers = async () => {
    const res = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(2000) });
    return (await res.text()).includes('<');
  };
  await waitFor('SeaweedFS S3 gateway', s3Answers, { child, timeoutMs: 90_000, intervalMs: 300 });
  // Buckets are filer folders under /buckets; the shell creates one the way the S3 API would.
  await waitFor(`bucket ${bucket}`, async () => {
    const res = spawnSync(weed, ['shell', `-master=127.0.0.1:${master}.${masterGrpc}`, `-filer=127.0.0.1:${filer}.${filerGrpc}`], {
      input: `s3.bucket.create -name ${bucket}\ns3.bucket.list\nexit\n`,
      encoding: 'utf8',
      timeout: 30_000,
    });
    return res.status === 0 && new RegExp(`\\b${bucket}\\b`).test(res.stdout);
  }, { child, timeoutMs: 60_000, intervalMs: 1000 });
  return {
    child,
    env: {
      TRAINYARD_TEST_S3_URL: `s3://${bucket}`,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_REGION: 'us-east-1',
    },
  };
}

/** `count` free loopback ports, all different. @param {number} count */
async function distinctFreePorts(count) {
  const ports = new Set();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/**
 * The object store of npm test and the bench: SeaweedFS (built on first use) in a temp dir, stopped and removed by
 * `cleanups`. Returns the environment for the test runner; an S3 URL given in TRAINYARD_TEST_S3_URL is kept as is.
 * @param {{ cleanups: (() => Promise<unknown>)[], say: (line: string) => void }} options
 * @returns {Promise<Record<string, string>>}
 */
export async function startTestObjectStore({ cleanups, say }) {
  if (process.env.TRAINYARD_TEST_S3_URL) return {};
  const [{ ensureSeaweedFs }, os, path] = await Promise.all([import('./setup.mjs'), import('node:os'), import('node:path')]);
  const weed = await ensureSeaweedFs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-s3-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const t0 = Date.now();
  const store = await startSeaweedFs({
    weed,
    dir,
    env: process.env,
  }).catch((err) => {
    throw new Error(`SeaweedFS did not start: ${err.message}`);
  });
  cleanups.push(() => stopChild(store.child));
  say(`SeaweedFS S3 at ${store.env.AWS_ENDPOINT_URL_S3}, bucket ${TEST_BUCKET} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  return store.env;
}
