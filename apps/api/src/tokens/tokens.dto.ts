import { ROLES } from '@trainyard/db';
import { z } from 'zod';
import { byIdEndpoint, createEndpoint, listEndpoint } from '../common/endpoint';
import { Timestamp, Uuid } from '../common/schemas';

export const CreateTokenRequest = z
  .strictObject({
    name: z.string().trim().min(1, 'must be a non-empty string of at most 100 characters').max(100, 'must be a non-empty string of at most 100 characters'),
    role: z.enum(ROLES as ['admin', 'trainer', 'viewer'], `must be one of ${ROLES.join(', ')}`),
  })
  .meta({ id: 'CreateTokenRequest', example: { name: 'ci-trainer', role: 'trainer' } });

export const TokenDto = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    role: z.enum(ROLES as ['admin', 'trainer', 'viewer']),
    prefix: z.string().meta({ description: 'the first characters of the secret, to tell tokens apart', example: 'ty_Ab12Cd' }),
    createdAt: Timestamp,
  })
  .meta({ id: 'Token' });
export type TokenDto = z.output<typeof TokenDto>;

export const CreatedTokenDto = TokenDto.extend({
  token: z.string().nullable().meta({ description: 'the secret, shown only in this answer (null in an idempotent replay)', example: 'ty_Ab12Cd...' }),
}).meta({ id: 'CreatedToken' });
export type CreatedTokenDto = z.output<typeof CreatedTokenDto>;

const tag = 'tokens';

export const createToken = createEndpoint({
  path: '/v1/tokens',
  tag,
  summary: 'Create a token',
  description: 'The secret is in this answer only; it is stored hashed.',
  role: 'admin',
  body: CreateTokenRequest,
  responseDescription: 'the token with its secret',
  response: CreatedTokenDto,
  errors: [],
});

export const listTokens = listEndpoint({ path: '/v1/tokens', tag, summary: 'List live tokens (no secrets)', role: 'admin', item: TokenDto });

export const revokeToken = byIdEndpoint({
  method: 'delete',
  path: '/v1/tokens/{id}',
  tag,
  summary: 'Revoke a token at once',
  role: 'admin',
  resource: 'TOKEN',
  status: 204,
  responseDescription: 'revoked',
  response: null,
  errors: [],
});
