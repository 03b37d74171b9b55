#!/usr/bin/env node
// `npm run migrate`: applies the database migrations once. Without DATABASE_URL it
// targets the embedded database of `npm start`, starting it for the duration when
// nothing listens on TRAINYARD_DB_PORT.
import net from 'node:net';
import path from 'node:path';
// Only builtins and setup.mjs statically: the rest may need packages that setup installs.
import { build, ensureNodeModules, repoRoot } from './setup.mjs';

function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function main() {
  ensureNodeModules();
  if (!process.argv.includes('--no-build')) build();
  const { startEmbeddedPostgres } = await import('./embedded-postgres.mjs');
  const { runPrefixed } = await import('./services.mjs');
  const env = { ...process.env };
  let embedded = null;
  if (!env.DATABASE_URL) {
    const port = Number(env.TRAINYARD_DB_PORT ?? 5433);
    if (!(await listening(port))) {
      const dataDir = path.resolve(env.TRAINYARD_DATA_DIR ?? path.join(repoRoot, '.data'));
      embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pglite'), port });
    }
    env.DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  const code = await runPrefixed('migrate', process.execPath, [path.join(repoRoot, 'dist/libs/db/src/cli/migrate.js')], { env });
  await embedded?.close();
  process.exit(code);
}

main().catch((err) => {
  console.error(`[migrate] ${err.message}`);
  process.exit(1);
});
