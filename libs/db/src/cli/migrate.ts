import { loadConfig } from '@trainyard/config';
import { migrate } from '../migrate';

async function main(): Promise<void> {
  const config = loadConfig();
  const applied = await migrate({ databaseUrl: config.databaseUrl });
  console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
}

main().catch((err: unknown) => {
  console.error('migration failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
