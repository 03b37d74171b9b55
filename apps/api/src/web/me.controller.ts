import { Controller } from '@nestjs/common';
import { z } from 'zod';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint, endpoint } from '../common/endpoint';

const MeDto = z
  .strictObject({ name: z.string().meta({ example: 'ci' }), role: z.enum(['admin', 'trainer', 'viewer']), tenant: z.string().meta({ example: 'default' }) })
  .meta({ id: 'Me' });

/** Who the token is: the dashboard and the CLI show it and hide what the role may not do. */
export const getMe = endpoint({
  method: 'get',
  path: '/v1/me',
  tag: 'tokens',
  summary: "The calling token's name, role and tenant",
  role: 'viewer',
  status: 200,
  responseDescription: 'the caller',
  response: MeDto,
  errors: [],
});

@Controller()
export class MeController {
  @Endpoint(getMe)
  me(@CurrentPrincipal() principal: Principal): z.output<typeof MeDto> {
    return { name: principal.name, role: principal.role, tenant: principal.tenantName };
  }
}
