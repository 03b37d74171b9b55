#!/usr/bin/env node
// @ts-check
// `npm run bench [-- <name filter>]`: builds, installs the Python peers into bench/.venv, starts a throwaway
// PostgreSQL and Temporal dev server (unless DATABASE_URL / TEMPORAL_ADDRESS are given), runs every
// dist/bench/*.bench.js one after another, and prints their figures with the peers' side by side.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
// Only builtins and setup.mjs statically: the rest is imported once ensureSetup() has installed what it needs.
import { ensureSetup, repoRoot, toolEnv } from './setup.mjs';

const say = (/** @type {string} */ line) => console.log(`[bench] ${line}`);
const venv = path.join(repoRoot, 'bench', '.venv');
const PEERS = ['xgboost-cpu==3.2.0', 'lightgbm==4.7.0', 'numpy', 'pandas', 'polars', 'scikit-learn', 'optuna'];
/** @type {(() => Promise<unknown>)[]} */
const cleanups = [];

function ensurePeers() {
  const python = path.join(venv, 'bin', 'python');
  const stamp = path.join(venv, '.peers');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === PEERS.join('\n')) return python;
  say(`installing peers into bench/.venv: ${PEERS.join(' ')}`);
  if (!fs.existsSync(python) && spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' }).status !== 0) throw new Error('python3 -m venv failed');
  if (spawnSync(python, ['-m', 'pip', 'install', '-q', ...PEERS], { stdio: 'inherit' }).status !== 0) throw new Error('pip install of the peers failed');
  fs.writeFileSync(stamp, PEERS.join('\n'));
  return python;
}

async function main() {
  const filters = process.argv.slice(2);
  const tools = ensureSetup({ build: true });
  const { freePort, startTemporalDevServer, startTestObjectStore, stopChild } = await import('./services.mjs');
  const { startThrowawayPostgres } = await import('./postgres.mjs');
  ensurePeers();
  const files = fs
    .readdirSync(path.join(repoRoot, 'dist', 'bench'))
    .filter((f) => f.endsWith('.bench.js') && fs.existsSync(path.join(repoRoot, 'bench', f.replace(/\.js$/, '.ts'))))
    .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
    .sort();
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, ...toolEnv(tools), TRAINYARD_TEMPORAL_LOG_LEVEL: 'ERROR' };
  env.DATABASE_URL ||= await startThrowawayPostgres({ cleanups, say });
  Object.assign(env, await startTestObjectStore({ cleanups, say }));
  if (!env.TEMPORAL_ADDRESS) {
    const { address } = await startTemporalDevServer({ cli: /** @type {string} */ (tools.temporalCli), port: await freePort(), headless: true, env, onSpawn: (child) => cleanups.push(() => stopChild(child)) });
    env.TEMPORAL_ADDRESS = address;
  }
  let failed = 0;
  for (const file of files) {
    say(`── ${file}`);
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, ['--enable-source-maps', path.join(repoRoot, 'dist', 'bench', file)], { cwd: repoRoot, env, stdio: 'inherit' });
      child.on('exit', (c) => resolve(c ?? 1));
    });
    if (code !== 0) failed++;
  }
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  process.exit(failed ? 1 : 0);
}

main().catch(async (err) => {
  console.error(`[bench] ${err.message}`);
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  process.exit(1);
});
