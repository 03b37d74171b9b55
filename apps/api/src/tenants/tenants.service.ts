import { Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Tenant, scopeToTenant } from '@trainyard/db';
import { DEFAULT_TENANT } from '../auth/bootstrap-admin';
import type { Principal } from '../auth/principal';
import { ApiError, validationFailed } from '../common/api-error';
import { TokensService } from '../tokens/tokens.service';
import type { TenantDto } from './tenants.dto';

@Injectable()
export class TenantsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokensService,
  ) {}

  async create(principal: Principal, name: string): Promise<TenantDto> {
    if (principal.tenantName !== DEFAULT_TENANT) throw new ApiError('FORBIDDEN', `only admins of tenant ${DEFAULT_TENANT} create tenants`);
    const tenant = this.em.create(Tenant, { name, createdAt: new Date() });
    try {
      await this.em.persistAndFlush(tenant);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw validationFailed([{ field: 'name', message: 'a tenant with this name exists' }]);
      throw err;
    }
    // The first token belongs to the new tenant: it is made in that tenant's scope, not the caller's.
    const em = this.em.fork();
    scopeToTenant(em, tenant.id);
    const adminToken = await this.tokens.issue(em, tenant.id, { name: `${name}-admin`, role: 'admin' });
    return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString(), adminToken };
  }
}
