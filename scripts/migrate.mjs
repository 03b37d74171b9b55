#!/usr/bin/env node
// @ts-check
// `npm run migrate`: applies the database migrations once. Without DATABASE_URL it targets the embedded database
// of `npm start`, starting it for the duration when nothing listens on TRAINYARD_DB_PORT.
import path from 'node:path';
// Only builtins and setup.mjs statically: the rest may need packages that setup installs.
import { build, ensureNodeModules, repoRoot } from './setup.mjs';

async function main() {
  ensureNodeModules();
  if (!process.argv.includes('--no-build')) build();
  const services = await import('./services.mjs');
  const { embeddedPostgres } = await import('./postgres.mjs');
  const say = (/** @type {string} */ line) => console.log(`[migrate] ${line}`);
  const env = { ...process.env };
  /** @type {import('./services.mjs').ServiceChild | null} */
  let server = null;
  if (!env.DATABASE_URL) {
    const port = Number(env.TRAINYARD_DB_PORT ?? 5433);
    const dataDir = path.resolve(env.TRAINYARD_DATA_DIR ?? path.join(repoRoot, '.data'));
    const db = embeddedPostgres({ dataDir, port, say });
    if (await services.isPortFree(port, '127.0.0.1')) {
      server = db.spawn();
      await db.ready(server);
    }
    env.DATABASE_URL = db.url;
  }
  const code = await services.runPrefixed('migrate', process.execPath, [path.join(repoRoot, 'dist/libs/db/src/cli/migrate.js')], { env });
  if (server) await services.stopChild(server);
  process.exit(code);
}

main().catch((err) => {
  console.error(`[migrate] ${err.message}`);
  process.exit(1);
});
