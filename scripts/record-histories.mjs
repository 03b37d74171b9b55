#!/usr/bin/env node
// @ts-check
// `npm run record-histories [-- <case>...]`: builds, starts the throwaway services `npm test` uses (PostgreSQL,
// SeaweedFS, a Temporal dev server of its own), runs real workflows through the API and a worker, and writes each
// one's history to test/histories/<workflow>-<case>.json for test/workflow-replay.test.ts. Without a case name it
// records them all; the cases are in test/support/record-histories.ts.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureSetup, repoRoot, toolEnv } from './setup.mjs';

const say = (/** @type {string} */ line) => console.log(`[record] ${line}`);

/**
 * Temporal's continue-as-new hint at 150 events instead of 4K, so a study of a dozen tiny trials continues as new the
 * way a long one does (the workflow also rotates after 100 trials, but that history would be far too large to commit).
 */
const SUGGEST_CONTINUE_AS_NEW_AFTER = Number(process.env.TRAINYARD_RECORD_CAN_EVENTS || 150);

/** @type {(() => Promise<unknown>)[]} */
const cleanups = [];
/** @type {import('node:child_process').ChildProcess | null} */
let recorder = null;

/** @param {number} code */
async function finish(code) {
  if (recorder && recorder.exitCode === null) recorder.kill('SIGTERM');
  for (const cleanup of cleanups.reverse()) await cleanup().catch((/** @type {Error} */ err) => say(`cleanup: ${err.message}`));
  process.exit(code);
}
process.on('SIGINT', () => void finish(130));
process.on('SIGTERM', () => void finish(143));

async function main() {
  const tools = ensureSetup({ build: !process.env.TRAINYARD_SKIP_BUILD });
  const services = await import('./services.mjs');
  const { startThrowawayPostgres } = await import('./postgres.mjs');
  /** @type {NodeJS.ProcessEnv} */
  const env = services.withTestDefaults({ ...process.env, ...toolEnv(tools), NODE_ENV: 'test' });
  env.DATABASE_URL = await startThrowawayPostgres({ cleanups, say });
  Object.assign(env, await services.startTestObjectStore({ cleanups, say }));
  const { address } = await services.startTemporalDevServer({
    cli: /** @type {string} */ (tools.temporalCli),
    port: await services.freePort(),
    headless: true,
    env,
    dynamicConfig: [`limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AS_NEW_AFTER}`],
    onSpawn: (child) => cleanups.push(() => services.stopChild(child)),
  });
  env.TEMPORAL_ADDRESS = address;
  env.TEMPORAL_NAMESPACE = 'default';
  say(`Temporal dev server on ${address}`);

  const entry = path.join(repoRoot, 'dist', 'test', 'support', 'record-histories.js');
  const code = await new Promise((resolve) => {
    recorder = spawn(process.execPath, ['--enable-source-maps', entry, ...process.argv.slice(2)], { cwd: repoRoot, env, stdio: 'inherit' });
    recorder.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  await finish(/** @type {number} */ (code));
}

main().catch(async (err) => {
  console.error(`[record] ${err.message}`);
  await finish(1);
});
