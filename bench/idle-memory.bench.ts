/**
 * Issue #16, idle memory: `npm start` as a user runs it (scripts/start.mjs, on free ports and a fresh data dir: its
 * own database, Temporal dev server, API and worker), left idle once it has registered the sample dataset, then the
 * resident memory of every process of the stack, one by one and summed (target ≤ 700 MB). RSS counts a page shared
 * by two processes twice; PSS splits it, and is printed beside. A process the stack starts that leaves the tree (a
 * daemonised database) is found by the data dir on its command line. Sizes: BENCH_IDLE_SECONDS (20: how long the
 * stack idles before the samples), BENCH_IDLE_SAMPLES (5, one a second; the median of each process is reported).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAverage } from './support/machine-load';
import { descendants, listProcesses, pssBytes, statusBytes, type ProcInfo } from './support/proc-status';
import { atInterrupt, runBench } from './support/run-bench';
import { freePort } from '../test/support/temporal-dev-server';
import { fmt, percentile, report } from './support/stats';

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const SAMPLES = Number(process.env.BENCH_IDLE_SAMPLES ?? 5);
const REPO = join(__dirname, '..', '..');
/** What the bench's own environment points at, which `npm start` must start for itself instead. */
const NOT_INHERITED = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TRAINYARD_STORAGE_URL', 'TRAINYARD_DATA_DIR', 'TRAINYARD_CACHE_DIR', 'TRAINYARD_ADMIN_TOKEN', 'TRAINYARD_QUEUE_PREFIX'];
const mb = (bytes: number) => fmt(bytes / 2 ** 20, 0);

/** Which part of the stack a process is, from its command line, and a short label for it. */
function role(p: ProcInfo): { group: string; label: string } {
  const c = p.cmdline;
  if (c.includes('apps/api/src/main')) return { group: 'API', label: 'API' };
  if (c.includes('apps/worker/src/main')) return { group: 'worker', label: 'worker' };
  if (/\btemporal\b.*\bserver\b/.test(c)) return { group: 'Temporal', label: 'Temporal dev server' };
  if (c.includes('embedded-postgres.mjs') || /pglite/i.test(c)) return { group: 'database', label: 'database (PGlite)' };
  // The server's own command line is its binary's path; its children name their role ("postgres: checkpointer").
  if (/(^|\/)postgres(\s|$)/.test(c.split(' -')[0] ?? '')) return { group: 'database', label: 'database (postgres server)' };
  if (/postgres/i.test(c)) return { group: 'database', label: `database (${c.replace(/^\S*\//, '').slice(0, 36)})` };
  if (c.includes('scripts/start.mjs')) return { group: 'npm start', label: 'npm start (supervisor)' };
  return { group: 'other', label: c.slice(0, 48) };
}

async function startStack(dataDir: string): Promise<{ child: ChildProcess; output: () => string; banner: Promise<string> }> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !NOT_INHERITED.includes(k)) env[k] = v;
  Object.assign(env, {
    TRAINYARD_DATA_DIR: dataDir,
    TRAINYARD_PORT: String(await freePort()),
    TRAINYARD_DB_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
  });
  const child = spawn(process.execPath, [join(REPO, 'scripts', 'start.mjs'), '--no-build'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const banner = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const sample = /Sample data\s+(\S.*?)\s*│/.exec(out);
      if (out.includes('Trainyard is running') && sample) {
        clearInterval(timer);
        resolve(sample[1]!);
      } else if (child.exitCode !== null || child.signalCode !== null) {
        clearInterval(timer);
        reject(new Error(`npm start exited before it was running:\n${out.slice(-4000)}`));
      }
    }, 200);
  });
  banner.catch(() => undefined);
  return { child, output: () => out, banner };
}

/** The stack's processes: start.mjs and its descendants, and whatever runs with the data dir on its command line. */
function stackProcesses(rootPid: number, dataDir: string): ProcInfo[] {
  const all = listProcesses();
  const roots = [rootPid, ...all.filter((p) => p.cmdline.includes(dataDir)).map((p) => p.pid)];
  return descendants(roots, all);
}

async function stop(child: ChildProcess, procs: ProcInfo[]): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
  }
  // Anything of the stack still up after the supervisor's own shutdown: started by this bench, and still the same
  // process (its command line unchanged), not a newcomer that reused the pid.
  const now = new Map(listProcesses().map((p) => [p.pid, p.cmdline]));
  for (const p of procs) {
    if (now.get(p.pid) !== p.cmdline) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

async function main(): Promise<void> {
  const load = loadAverage();
  const dataDir = await mkdtemp(join(tmpdir(), 'trainyard-idle-'));
  const stack = await startStack(dataDir);
  const stackNow = () => stackProcesses(stack.child.pid!, dataDir).filter((p) => p.pid !== stack.child.pid);
  const forget = atInterrupt(() => stop(stack.child, stackNow()));
  let seen: ProcInfo[] = [];
  try {
    const t0 = performance.now();
    const sample = await stack.banner;
    console.log(`npm start up with the sample registered (${sample}) in ${fmt((performance.now() - t0) / 1000, 1)} s; idling ${IDLE_SECONDS} s`);
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const rss = new Map<number, number[]>();
    const pss = new Map<number, number[]>();
    let procs: ProcInfo[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      procs = stackProcesses(stack.child.pid!, dataDir);
      for (const p of procs) {
        rss.set(p.pid, [...(rss.get(p.pid) ?? []), statusBytes('VmRSS', p.pid)]);
        pss.set(p.pid, [...(pss.get(p.pid) ?? []), pssBytes(p.pid)]);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    seen = procs.filter((p) => p.pid !== stack.child.pid);
    const rows = procs
      .map((p) => ({ ...role(p), pid: p.pid, rss: percentile(rss.get(p.pid)!.filter(Number.isFinite), 50), pss: percentile(pss.get(p.pid)!.filter(Number.isFinite), 50) }))
      .filter((r) => Number.isFinite(r.rss))
      .sort((a, b) => b.rss - a.rss);
    const sum = (rs: typeof rows, f: (r: (typeof rows)[number]) => number) => rs.reduce((s, r) => s + f(r), 0);
    console.log(`\nidle \`npm start\`, ${rows.length} processes, median of ${SAMPLES} samples (MB):`);
    for (const r of rows) report(`  ${r.label} (pid ${r.pid}): RSS, PSS`, `${mb(r.rss)}  ${mb(r.pss)}`);
    console.log('by part of the stack (MB):');
    for (const group of [...new Set(rows.map((r) => r.group))]) {
      const of = rows.filter((r) => r.group === group);
      report(`  ${group}${of.length > 1 ? ` (${of.length} processes)` : ''}: RSS, PSS`, `${mb(sum(of, (r) => r.rss))}  ${mb(sum(of, (r) => r.pss))}`);
    }
    report('all processes: RSS (MB)', mb(sum(rows, (r) => r.rss)), '≤ 700');
    report('all processes: PSS (MB)', mb(sum(rows, (r) => r.pss)));
  } finally {
    forget();
    await stop(stack.child, seen.length ? seen : stackNow());
    await rm(dataDir, { recursive: true, force: true });
    load.report();
  }
}

runBench(main);
