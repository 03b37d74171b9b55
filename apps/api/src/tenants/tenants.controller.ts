import { Controller } from '@nestjs/common';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint, In, type Input } from '../common/endpoint';
import { createTenant } from './tenants.dto';
import { TenantsService } from './tenants.service';

/** Additive to API.md: the default tenant's admins create tenants, each with its first admin token. */
@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Endpoint(createTenant)
  create(@CurrentPrincipal() principal: Principal, @In() { body }: Input<typeof createTenant>) {
    return this.tenants.create(principal, body.name);
  }
}
