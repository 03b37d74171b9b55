import 'reflect-metadata';
import { join } from 'node:path';
import { loadConfig } from '@trainyard/config';
import { startApiServer } from './app.factory';
import { ADMIN_TOKEN_FILE } from './auth/bootstrap-admin';

async function main(): Promise<void> {
  // Whatever this process writes (data dir, caches, temp files) is its owner's alone: files 0600, folders 0700.
  process.umask(0o077);
  const config = loadConfig();
  const server = await startApiServer(config);
  console.log(`Trainyard API listening on ${server.url} (OpenAPI at ${server.url}/docs)`);
  if (server.generatedAdminToken) {
    console.log(`generated the first admin token (shown once, also written to ${join(config.dataDir, ADMIN_TOKEN_FILE)}):\n  ${server.generatedAdminToken}`);
  }
}

main().catch((err: unknown) => {
  console.error('API failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
