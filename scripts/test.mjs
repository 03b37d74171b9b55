#!/usr/bin/env node
// @ts-check
// `npm test [-- <filter>... [--node-test-flags]]`: builds, starts a throwaway
// PostgreSQL and Temporal dev server (unless DATABASE_URL / TEMPORAL_ADDRESS are
// given), runs unit specs (dist/**/*.spec.js) and integration tests
// (dist/test/**/*.test.js) with node's test runner, then tears everything down.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// Only builtins and setup.mjs statically: the rest is imported once ensureSetup() has installed what it needs.
import { ensureSetup, repoRoot, toolEnv } from './setup.mjs';

const say = (/** @type {string} */ line) => console.log(`[test] ${line}`);
/** @type {typeof import('./services.mjs')} */
let services;
const distDir = path.join(repoRoot, 'dist');
/** @type {(() => Promise<unknown>)[]} */
const cleanups = [];
/** @type {import('node:child_process').ChildProcess | null} */
let runner = null;
/** @type {Promise<void> | null} */
let finishing = null;

/**
 * Stops the runner and the servers, prints `lastWords`, exits.
 * @param {number} code @param {string} [lastWords]
 */
async function finish(code, lastWords) {
  finishing ??= (async () => {
    if (runner) await stopRunner(runner);
    for (const cleanup of cleanups.reverse()) await cleanup().catch((/** @type {Error} */ err) => say(`cleanup: ${err.message}`));
    if (lastWords) say(lastWords);
    process.exit(code);
  })();
  return finishing;
}

process.on('SIGINT', () => void finish(130));
process.on('SIGTERM', () => void finish(143));

// ---------- docker compose (for the compose-file check) ----------

/**
 * The compose-file test runs `docker compose config` wherever a docker CLI is installed; when the CLI has no
 * compose plugin, Debian's standalone docker-compose is installed (as root) so the check is not skipped.
 */
function ensureComposeCli() {
  if (!services.commandExists('docker')) return;
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0 || services.commandExists('docker-compose')) return;
  if (process.getuid?.() !== 0 || !services.commandExists('apt-get') || process.env.TRAINYARD_NO_APT) return;
  say('docker CLI without compose; apt-get install docker-compose ...');
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'docker-compose']]) {
    if (spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: aptEnv }).status !== 0) {
      say('could not install docker-compose; the compose-file check will be skipped');
      return;
    }
  }
}

/** The browser tests drive Debian's chromium (Playwright cannot download its own here); root installs it when missing. */
function ensureChromium() {
  if (process.env.TRAINYARD_CHROMIUM || services.commandExists('chromium')) return;
  if (process.getuid?.() !== 0 || !services.commandExists('apt-get') || process.env.TRAINYARD_NO_APT) return;
  say('no chromium; apt-get install chromium for the browser tests ...');
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'chromium']]) {
    if (spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: aptEnv }).status !== 0) return say('could not install chromium; the browser tests will be skipped');
  }
}

// ---------- test files ----------

/** @param {string} dir @param {string[]} [out] @returns {string[]} */
function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** Compiled tests whose .ts source still exists (dist/ keeps files of deleted sources). */
/** @param {string[]} filters */
function testFiles(filters) {
  const rel = (/** @type {string} */ f) => path.relative(distDir, f).split(path.sep).join('/');
  const hasSource = (/** @type {string} */ f) => fs.existsSync(path.join(repoRoot, rel(f).replace(/\.js$/, '.ts')));
  const isTest = (/** @type {string} */ r) => r.endsWith('.spec.js') || (r.startsWith('test/') && r.endsWith('.test.js'));
  const wanted = filters.map((f) => f.replace(/^(\.\/)?dist\//, '').replace(/\.ts$/, '.js'));
  return walk(distDir)
    .filter((f) => isTest(rel(f)) && hasSource(f))
    .filter((f) => wanted.length === 0 || wanted.some((w) => rel(f).includes(w)))
    .sort();
}

// ---------- runner ----------

/**
 * Signals the runner's whole process group: servers that tests spawn must not outlive an interrupted run.
 * @param {import('node:child_process').ChildProcess} child @param {NodeJS.Signals} signal
 */
function signalRunnerGroup(child, signal) {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // group already gone
  }
}

/** @param {import('node:child_process').ChildProcess} child */
async function stopRunner(child) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    signalRunnerGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalRunnerGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  signalRunnerGroup(child, 'SIGKILL');
}

/**
 * @param {string[]} files @param {string[]} nodeFlags @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ code: number, summary: string[] }>}
 */
function runTests(files, nodeFlags, env) {
  return new Promise((resolve) => {
    const [major, minor] = process.versions.node.split('.').map(Number);
    const modern = major > 20 || (major === 20 && minor >= 11); // --test-concurrency/--test-timeout
    const defaults = ['--test-reporter=spec', ...(modern ? ['--test-concurrency=2', '--test-timeout=600000'] : [])];
    const chosen = defaults.filter((d) => !nodeFlags.some((f) => f.startsWith(d.split('=')[0])));
    const args = ['--enable-source-maps', '--test', ...chosen, ...nodeFlags, ...files];
    const colour = process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {};
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...env, ...colour },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    runner = child;
    /** @type {string[]} */
    const summary = [];
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
        const m = plain.match(/^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) (\S+)/);
        if (m) summary.push(`${m[1]} ${m[2]}`);
      }
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), summary }));
  });
}

async function main() {
  const argv = process.argv.slice(2);
  const nodeFlags = argv.filter((a) => a.startsWith('-'));
  const filters = argv.filter((a) => !a.startsWith('-'));
  const tools = ensureSetup({ build: !process.env.TRAINYARD_SKIP_BUILD });
  services = await import('./services.mjs');
  const { freePort, startTemporalDevServer, stopChild } = services;
  const { startThrowawayPostgres } = await import('./postgres.mjs');

  const files = testFiles(filters);
  if (files.length === 0) {
    say(filters.length ? `no test file matches ${filters.join(', ')}` : 'no test files found under dist/');
    return finish(filters.length ? 1 : 0);
  }
  say(`${files.length} test file(s)`);

  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, ...toolEnv(tools), NODE_ENV: 'test' };
  if (files.some((f) => f.includes('docker-compose'))) ensureComposeCli();
  if (files.some((f) => f.includes('web-dashboard'))) ensureChromium();
  env.DATABASE_URL ||= await startThrowawayPostgres({ cleanups, say });
  Object.assign(env, await services.startTestObjectStore({ cleanups, say }));
  services.withTestDefaults(env);
  if (!env.TEMPORAL_ADDRESS) {
    const { address } = await startTemporalDevServer({
      cli: /** @type {string} */ (tools.temporalCli),
      port: await freePort(),
      headless: true,
      env,
      onSpawn: (child) => cleanups.push(() => stopChild(child)),
    });
    env.TEMPORAL_ADDRESS = address;
    say(`Temporal dev server on ${address}`);
  }
  env.TEMPORAL_NAMESPACE ||= 'default';

  const { code, summary } = await runTests(files, nodeFlags, env);
  if (finishing) return;
  return finish(code, `${code === 0 ? 'PASSED' : 'FAILED'}: ${summary.length ? summary.join(', ') : `runner exited with ${code}`}`);
}

main().catch(async (err) => {
  console.error(`[test] ${err.message}`);
  await finish(1);
});
