import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '@trainyard/db';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must point at a PostgreSQL server (npm test starts one)');
  return url;
}

/** A database of its own for one suite, migrated with the committed migrations and dropped afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ty_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  await migrate({ databaseUrl: url.toString() });
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}
