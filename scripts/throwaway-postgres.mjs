// A throwaway PostgreSQL server (Debian's packages, installed when missing) for `npm test` and `npm run bench`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandExists, freePort, spawnService, stopChild, waitFor } from './services.mjs';


function versionOf(dir) {
  return Number(path.basename(path.dirname(dir))) || 0;
}

function findPgBinDir() {
  if (process.env.TRAINYARD_PG_BIN) return process.env.TRAINYARD_PG_BIN;
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const dirs = fs
      .readdirSync(root)
      .map((v) => path.join(root, v, 'bin'))
      .filter((d) => fs.existsSync(path.join(d, 'initdb')))
      .sort((a, b) => versionOf(b) - versionOf(a));
    if (dirs.length) return dirs[0];
  }
  if (commandExists('pg_config')) {
    const dir = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout.trim();
    if (dir && fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  if (commandExists('initdb')) return path.dirname(spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim());
  return null;
}

function installPostgres(say) {
  if (process.getuid?.() !== 0 || !commandExists('apt-get')) {
    throw new Error('PostgreSQL is not installed. Install it (e.g. apt-get install postgresql) or set DATABASE_URL.');
  }
  say('PostgreSQL not found; apt-get install postgresql ...');
  const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', 'postgresql']]) {
    const res = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: aptEnv });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
}

/** postgres refuses to run as root, so as root we run it as the `postgres` system user. */
function postgresUser(say) {
  if (process.getuid?.() !== 0) return null;
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    say('creating system user postgres');
    const res = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/bin/sh', 'postgres'], {
      stdio: 'inherit',
    });
    if (res.status !== 0) throw new Error('could not create the postgres user');
  }
  return { uid: Number(id('-u').stdout), gid: Number(id('-g').stdout) };
}

/** A PostgreSQL server in a temp dir on a free port, for tests and benchmarks; `cleanups` gets its teardown. */
export async function startThrowawayPostgres({ cleanups, say }) {
  let bin = findPgBinDir();
  if (!bin) {
    installPostgres(say);
    bin = findPgBinDir();
    if (!bin) throw new Error('PostgreSQL was installed but initdb was not found');
  }
  const user = postgresUser(say);
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-pg-'));
  cleanups.push(async () => fs.rmSync(root, { recursive: true, force: true }));
  if (user) fs.chownSync(root, user.uid, user.gid);
  const dataDir = path.join(root, 'data');
  const env = { ...process.env, LC_ALL: 'C', HOME: root };
  const init = spawnSync(
    path.join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    { ...asUser, env, cwd: root, encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
  const port = await freePort();
  const settings = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: root,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: 300,
    log_min_messages: 'fatal', // errors that tests provoke on purpose would drown the report
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawnService('pg', path.join(bin, 'postgres'), args, {
    ...asUser,
    env,
    cwd: root,
    filter: (line) => !/\s(LOG|DETAIL|HINT):\s/.test(line),
  });
  // SIGINT is postgres' "fast shutdown": abort sessions, stop at once.
  cleanups.push(() => stopChild(child, { signal: 'SIGINT' }));
  const isReady = () =>
    new Promise((resolve) => {
      const probe = spawn(path.join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      probe.on('exit', (code) => resolve(code === 0));
      probe.on('error', () => resolve(false));
    });
  await waitFor('PostgreSQL', isReady, { child, timeoutMs: 60_000, intervalMs: 200 });
  say(`PostgreSQL ${versionOf(bin) || ''} on 127.0.0.1:${port} (${root})`);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}
