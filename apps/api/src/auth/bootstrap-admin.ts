import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { TrainyardConfig } from '@trainyard/config';
import { ApiToken, Tenant, scopeToTenant } from '@trainyard/db';
import { displayPrefix, hashToken, newTokenSecret } from './token-secret';

export const DEFAULT_TENANT = 'default';
export const ADMIN_TOKEN_FILE = 'admin-token';

export interface BootstrapResult {
  tenant: Tenant;
  /** Set only when a token was generated now; it is shown once. */
  generatedToken: string | null;
}

/**
 * Makes sure tenant `default` exists with an admin token: TRAINYARD_ADMIN_TOKEN when set, otherwise one generated
 * on first start, printed once and written to the data dir with mode 0600.
 */
export async function bootstrapAdmin(em: EntityManager, config: TrainyardConfig): Promise<BootstrapResult> {
  let tenant = await em.findOne(Tenant, { name: DEFAULT_TENANT });
  if (!tenant) {
    tenant = em.create(Tenant, { name: DEFAULT_TENANT, createdAt: new Date() });
    await em.persistAndFlush(tenant);
  }
  scopeToTenant(em, tenant.id);
  if (config.adminToken) {
    const tokenHash = hashToken(config.adminToken);
    if (!(await em.findOne(ApiToken, { tokenHash }))) {
      em.create(ApiToken, { tenantId: tenant.id, name: 'bootstrap-admin', role: 'admin', tokenHash, prefix: displayPrefix(config.adminToken), createdAt: new Date() });
      await em.flush();
    }
    return { tenant, generatedToken: null };
  }
  if (await em.count(ApiToken, { tenantId: tenant.id })) return { tenant, generatedToken: null };

  const secret = newTokenSecret();
  em.create(ApiToken, { tenantId: tenant.id, name: 'bootstrap-admin', role: 'admin', tokenHash: hashToken(secret), prefix: displayPrefix(secret), createdAt: new Date() });
  await em.flush();
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await writeFile(join(config.dataDir, ADMIN_TOKEN_FILE), secret + '\n', { mode: 0o600 });
  return { tenant, generatedToken: secret };
}
