import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal';

/** Who the token is: the dashboard and the CLI show it and hide what the role may not do. */
@ApiTags('tokens')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  @Get()
  @ApiOkResponse({
    description: "The calling token's name, role and tenant",
    schema: {
      type: 'object',
      required: ['name', 'role', 'tenant'],
      properties: { name: { type: 'string', example: 'ci' }, role: { type: 'string', enum: ['admin', 'trainer', 'viewer'] }, tenant: { type: 'string', example: 'default' } },
    },
  })
  me(@CurrentPrincipal() principal: Principal) {
    return { name: principal.name, role: principal.role, tenant: principal.tenantName };
  }
}
