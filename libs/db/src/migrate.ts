import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig, type DbOptions } from './orm-config';

/** Applies every committed migration that has not run yet; returns their names. */
export async function migrate(options: DbOptions): Promise<string[]> {
  const orm = await MikroORM.init(ormConfig({ ...options, poolMax: 1 }));
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}
