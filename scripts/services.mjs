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

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Dynamic config for every dev server we start: task priorities, strictly ordered on one partition. */
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

export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

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

/** Polls `check` until it returns truthy; fails early if `child` exits. */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 300, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what}: process exited with code ${child.exitCode}`);
    if (child && child.signalCode) throw new Error(`${what}: process was killed by ${child.signalCode}`);
    const result = await check().catch(() => false);
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000}s`);
    await sleep(intervalMs);
  }
}

export const waitForPort = (port, host = '127.0.0.1', opts = {}) =>
  waitFor(`port ${host}:${port}`, () => canConnect(port, host), opts);

/** Pipes a child's stdout/stderr line by line to ours, each line prefixed with `[name]`. */
export function prefixOutput(child, name, { filter = () => true } = {}) {
  const prefix = `[${name}]`;
  for (const [stream, out] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ]) {
    if (!stream) continue;
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (filter(line)) out.write(`${prefix} ${line}\n`);
    });
  }
}

/** Spawns a long-running child in its own process group so a terminal Ctrl-C reaches only us. */
export function spawnService(name, cmd, args, { env = process.env, cwd, filter, ...rest } = {}) {
  const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true, ...rest });
  child.serviceName = name;
  child.on('error', (err) => process.stderr.write(`[${name}] failed to start: ${err.message}\n`));
  prefixOutput(child, name, { filter });
  return child;
}

export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM (or `signal`, or the child's own stopSignal), then SIGKILL after graceMs. Resolves when it has exited. */
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

/** Spawns `temporal server start-dev` (with our dynamic config and search attributes); does not wait. */
export function spawnTemporalDevServer({ cli, port, uiPort, dbFile, headless = false, name = 'temporal', env }) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  args.push(...(headless ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (dbFile) args.push('--db-filename', dbFile);
  for (const value of TEMPORAL_DEV_CONFIG) args.push('--dynamic-config-value', value);
  for (const [attr, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${attr}=${type}`);
  // Startup chatter that says nothing actionable.
  const noise = /Cluster Id in Cluster Metadata config is not a valid uuid|unable to add metrics baggage/;
  // While stopping, the server's internal workers warn about every connection they lose.
  const filter = (line) => line.trim() !== '' && !noise.test(line) && !(child.stopping && /level=WARN/.test(line));
  const child = spawnService(name, cli, args, { env, filter });
  return child;
}

/** Resolves when the dev server at `address` serves; fails early if `child` exits. */
export function waitForTemporal(cli, address, child) {
  return waitFor('Temporal dev server', () => temporalHealthy(cli, address), { child, timeoutMs: 90_000, intervalMs: 300 });
}

/** Starts `temporal server start-dev` and waits until it serves. Returns { child, address }. */
export async function startTemporalDevServer({ onSpawn, ...options }) {
  const child = spawnTemporalDevServer(options);
  onSpawn?.(child);
  const address = `127.0.0.1:${options.port}`;
  await waitForTemporal(options.cli, address, child);
  return { child, address };
}

/** Runs a command to completion with prefixed output; resolves with its exit code. */
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

export function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
