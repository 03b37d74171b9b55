import { join } from 'node:path';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { ENTITIES, TENANT_OWNED_ENTITIES } from './entities';
import { TrainyardNamingStrategy } from './naming-strategy';
import { tenantFilter } from './tenancy/tenant-scope';

export interface DbOptions {
  databaseUrl: string;
  poolMax?: number;
  debug?: boolean;
  /** Scope every read and write of an owned entity to the EntityManager's tenant (the API); see tenancy/tenant-scope. */
  tenantScoped?: boolean;
}

export function ormConfig({ databaseUrl, poolMax = 10, debug = false, tenantScoped = false }: DbOptions): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ENTITIES,
    namingStrategy: TrainyardNamingStrategy,
    pool: { min: 0, max: poolMax },
    // Queries only, never `query-params`: bound values (token hashes, secrets, user data) stay out of logs.
    debug: debug ? ['query'] : false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    filters: tenantScoped ? { tenant: tenantFilter(TENANT_OWNED_ENTITIES) } : {},
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: join(__dirname, 'migrations'),
      glob: '!(*.d).js',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
    },
  });
}
