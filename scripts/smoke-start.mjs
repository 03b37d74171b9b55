#!/usr/bin/env node
// @ts-check
// Runs the README's first command the way a person would, for CI: `npm start` in this checkout, waits for the
// banner, trains the bundled sample through the API until `completed`, kills the worker and the API and waits for
// them to come back, then stops everything with SIGINT (Ctrl-C) and checks that no process it started is left.
// After the job it walks the data dir: nothing in it may be readable by others.
// Then starts again and checks the second start: healthy within 15 s, no rebuild, no admin token printed.
// Ports: TRAINYARD_PORT etc. from the environment, else free ones. Data: TRAINYARD_DATA_DIR, else .data.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (/** @type {string} */ line) => console.log(`[smoke] ${line}`);
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SECOND_START_LIMIT_S = Number(process.env.SMOKE_SECOND_START_LIMIT_S ?? 15);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(address.port));
    });
  });
}

/** @param {string} what @param {() => Promise<any>} check */
async function waitFor(what, check, timeoutMs = 60_000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000}s`);
    await sleep(intervalMs);
  }
}

/** Every live process below `root` (by parent pid), read from /proc. */
function descendants(/** @type {number} */ root) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = [];
  const queue = [root];
  while (queue.length) {
    for (const pid of children.get(/** @type {number} */ (queue.shift())) ?? []) {
      out.push(pid);
      queue.push(pid);
    }
  }
  return out;
}

function alive(/** @type {number} */ pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) Z/.test(stat); // a zombie has exited
  } catch {
    return false;
  }
}

const cmdline = (/** @type {number} */ pid) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
};

/** Proportional set size (kB) of a process: shared pages split among their users, so a tree's sum is honest. */
function pssKb(/** @type {number} */ pid) {
  try {
    const m = /^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function rssKb(/** @type {number} */ pid) {
  try {
    const m = /^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Starts `npm start` in its own process group, as a terminal would; collects its output. */
function npmStart(/** @type {NodeJS.ProcessEnv} */ env) {
  const child = spawn('npm', ['start'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const state = { output: '', child, exited: /** @type {Promise<number | null>} */ (new Promise((resolve) => child.on('exit', (code) => resolve(code)))) };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk) => {
      state.output += chunk;
      const lines = (partial + chunk).split('\n');
      partial = /** @type {string} */ (lines.pop());
      for (const line of lines) process.stdout.write(`  │ ${line}\n`);
    });
  }
  return state;
}

/** Ctrl-C: SIGINT to the whole foreground group; then every process seen under it must be gone. */
async function interrupt(/** @type {ReturnType<typeof npmStart>} */ run) {
  const seen = descendants(/** @type {number} */ (run.child.pid)).map((pid) => ({ pid, cmd: cmdline(pid) }));
  process.kill(-(/** @type {number} */ (run.child.pid)), 'SIGINT');
  const code = await Promise.race([run.exited.then(() => run.child.signalCode ?? run.child.exitCode), sleep(60_000).then(() => 'timeout')]);
  if (code === 'timeout') throw new Error('npm start did not exit within 60s of SIGINT');
  const stillAlive = () => seen.filter((p) => alive(p.pid));
  const left = await waitFor('every started process to end', async () => stillAlive().length === 0, 15_000).then(stillAlive, stillAlive);
  if (left.length) throw new Error(`still running after Ctrl-C:\n${left.map((p) => `  ${p.pid} ${p.cmd}`).join('\n')}`);
  say(`npm start exited (${code}); all ${seen.length} processes it started are gone`);
}

/** Waits for the sample job that npm start submitted (the banner names it) to complete. */
/** @param {string} apiUrl @param {string} token @param {string} jobId */
async function sampleTrained(apiUrl, token, jobId) {
  const headers = { authorization: `Bearer ${token}` };
  const job = { id: jobId };
  const t0 = Date.now();
  const done = await waitFor('the sample job to finish', async () => {
    const r = await fetch(`${apiUrl}/v1/training-jobs/${job.id}`, { headers });
    const body = await r.json();
    return ['completed', 'failed', 'cancelled'].includes(body.status) ? body : null;
  }, 300_000, 500);
  if (done.status !== 'completed') throw new Error(`sample job ${job.id} ended ${done.status}: ${JSON.stringify(done.error ?? done)}`);
  say(`sample job ${job.id} completed in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

/**
 * What in the data dir others may read or enter: nothing, but the data dir itself, which as root lets others (the
 * postgres system user) pass through to the database cluster.
 */
function exposedInDataDir(/** @type {string} */ dataDir) {
  /** @type {string[]} */
  const exposed = [];
  const rootMask = process.getuid?.() === 0 ? 0o066 : 0o077;
  const visit = (/** @type {string} */ p, /** @type {number} */ mask) => {
    const stat = fs.lstatSync(p);
    if (stat.mode & mask) exposed.push(`${path.relative(dataDir, p) || '.'} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name), 0o077);
  };
  visit(dataDir, rootMask);
  return exposed;
}

/** Kills a child of npm start with SIGKILL and waits until the supervisor has brought it back. */
async function crashAndRecover(/** @type {ReturnType<typeof npmStart>} */ run, /** @type {string} */ name, /** @type {string} */ entry, /** @type {() => Promise<boolean>} */ healthy) {
  const pid = descendants(/** @type {number} */ (run.child.pid)).find((p) => cmdline(p).includes(entry));
  if (!pid) throw new Error(`no ${name} process under npm start`);
  const mark = run.output.length;
  process.kill(pid, 'SIGKILL');
  await waitFor(`a restart line for ${name}`, async () => /restarting in/.test(run.output.slice(mark)), 10_000);
  await waitFor(`${name} back`, async () => {
    const again = descendants(/** @type {number} */ (run.child.pid)).find((p) => cmdline(p).includes(entry) && p !== pid);
    return again !== undefined && (await healthy());
  }, 60_000);
  say(`${name} killed with SIGKILL was restarted and is healthy`);
}

async function main() {
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };
  for (const key of ['TRAINYARD_PORT', 'TRAINYARD_DB_PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT']) env[key] ||= String(await freePort());
  const apiUrl = `http://127.0.0.1:${env.TRAINYARD_PORT}`;
  const dataDir = path.resolve(repoRoot, env.TRAINYARD_DATA_DIR ?? '.data');
  const banner = (/** @type {ReturnType<typeof npmStart>} */ run) =>
    waitFor('the banner', async () => {
      if (run.child.exitCode !== null) throw new Error(`npm start exited with ${run.child.exitCode} before its banner`);
      return run.output.includes('Trainyard is running');
    }, 1_800_000, 200);
  const apiHealthy = async () => (await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(2000) })).ok;

  /** @type {string | undefined} */
  let jobId;
  say(`npm start (API ${apiUrl}, data ${dataDir})`);
  let t0 = Date.now();
  const first = npmStart(env);
  const stopOnFailure = () => first.child.exitCode === null && process.kill(-(/** @type {number} */ (first.child.pid)), 'SIGINT');
  try {
    await banner(first);
    const firstS = (Date.now() - t0) / 1000;
    say(`first start: banner after ${firstS.toFixed(1)}s`);
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    if (!/Sample data\s+[0-9a-f-]{36}/.test(first.output)) throw new Error('the banner names no sample dataset');
    jobId = /Sample job\s+([0-9a-f-]{36})/.exec(first.output)?.[1];
    if (!jobId) throw new Error('npm start did not train the sample (the banner names no sample job)');
    await sampleTrained(apiUrl, token, jobId);
    const exposed = exposedInDataDir(dataDir);
    if (exposed.length) throw new Error(`the data dir holds files or folders others can read:\n  ${exposed.join('\n  ')}`);
    say('every file in the data dir is 0600, every folder 0700');
    await sleep(5000); // let the stack settle before reading its memory
    const pids = descendants(/** @type {number} */ (first.child.pid));
    const pss = pids.reduce((sum, p) => sum + pssKb(p), 0) / 1024;
    const rss = pids.reduce((sum, p) => sum + rssKb(p), 0) / 1024;
    say(`memory of the whole stack after one job (${pids.length} processes): PSS ${pss.toFixed(0)} MB, RSS sum ${rss.toFixed(0)} MB`);
    await crashAndRecover(first, 'worker', 'dist/apps/worker/src/main.js', async () => /worker ready/.test(first.output.split('restarting in').pop() ?? ''));
    await crashAndRecover(first, 'api', 'dist/apps/api/src/main.js', apiHealthy);
  } catch (err) {
    stopOnFailure();
    throw err;
  }
  await interrupt(first);

  say('npm start again (nothing changed)');
  t0 = Date.now();
  const second = npmStart(env);
  try {
    await banner(second);
    const secondS = (Date.now() - t0) / 1000;
    say(`second start: banner after ${secondS.toFixed(1)}s (limit ${SECOND_START_LIMIT_S}s)`);
    if (!/build is up to date/.test(second.output)) throw new Error('the second start rebuilt although nothing changed');
    const again = /Sample job\s+([0-9a-f-]{36})/.exec(second.output)?.[1];
    if (again !== jobId) throw new Error(`the second start named sample job ${again}, not the first start's ${jobId}: it trained the sample again`);
    const token = fs.readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    if (second.output.includes(token)) throw new Error('the second start printed the admin token');
    if (secondS > SECOND_START_LIMIT_S) throw new Error(`the second start took ${secondS.toFixed(1)}s`);
  } catch (err) {
    if (second.child.exitCode === null) process.kill(-(/** @type {number} */ (second.child.pid)), 'SIGINT');
    throw err;
  }
  await interrupt(second);
  say('passed');
}

main().catch((err) => {
  console.error(`[smoke] FAILED: ${err.message}`);
  process.exit(1);
});
