import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Tenant } from '@trainyard/db';
import { DEFAULT_TENANT } from '../auth/bootstrap-admin';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { ApiError, validationFailed } from '../common/api-error';
import { TokensService } from '../tokens/tokens.service';

/** Additive to API.md: the default tenant's admins create tenants, each with its first admin token. */
@ApiTags('tenants')
@ApiBearerAuth()
@MinRole('admin')
@Controller('v1/tenants')
export class TenantsController {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokensService,
  ) {}

  @Post()
  @ApiBody({ schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: { name?: unknown }) {
    if (principal.tenantName !== DEFAULT_TENANT) throw new ApiError('FORBIDDEN', `only admins of tenant ${DEFAULT_TENANT} create tenants`);
    const name = typeof body?.name === 'string' ? body.name.trim() : '';
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) throw validationFailed([{ field: 'name', message: 'lowercase letters, digits and dashes, 1 to 63 characters' }]);
    const tenant = this.em.create(Tenant, { name, createdAt: new Date() });
    try {
      await this.em.persistAndFlush(tenant);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw validationFailed([{ field: 'name', message: 'a tenant with this name exists' }]);
      throw err;
    }
    const admin = await this.tokens.create(principal, { name: `${name}-admin`, role: 'admin' }, tenant.id);
    return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString(), adminToken: admin };
  }
}
