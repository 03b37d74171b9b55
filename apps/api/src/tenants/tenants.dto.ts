import { z } from 'zod';
import { endpoint } from '../common/endpoint';
import { Timestamp, Uuid } from '../common/schemas';
import { CreatedTokenDto } from '../tokens/tokens.dto';

export const CreateTenantRequest = z
  .strictObject({
    name: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, 1 to 63 characters'),
  })
  .meta({ id: 'CreateTenantRequest', example: { name: 'acme' } });

export const TenantDto = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    createdAt: Timestamp,
    adminToken: CreatedTokenDto.meta({ description: "the new tenant's first admin token; its secret is shown only here" }),
  })
  .meta({ id: 'Tenant' });
export type TenantDto = z.output<typeof TenantDto>;

export const createTenant = endpoint({
  method: 'post',
  path: '/v1/tenants',
  tag: 'tenants',
  summary: 'Create a tenant with its first admin token',
  description: 'Only admins of the default tenant create tenants.',
  role: 'admin',
  body: CreateTenantRequest,
  status: 201,
  responseDescription: 'the tenant and its admin token',
  response: TenantDto,
  errors: ['FORBIDDEN'],
});
