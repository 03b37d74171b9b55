import { ROLES } from '@trainyard/db';
import { z } from 'zod';
import { byIdEndpoint, createEndpoint, listEndpoint } from '../common/endpoint';
import { Timestamp, Uuid } from '../common/schemas';

const MAX_DAYS = 3650;

export const CreateTokenRequest = z
  .strictObject({
    name: z.string().trim().min(1, 'must be a non-empty string of at most 100 characters').max(100, 'must be a non-empty string of at most 100 characters'),
    role: z.enum(ROLES as ['admin', 'trainer', 'viewer'], `must be one of ${ROLES.join(', ')}`),
    expiresAt: z.iso
      .datetime({ offset: true, message: 'must be an ISO-8601 timestamp, e.g. 2027-01-31T00:00:00Z' })
      .transform((t) => new Date(t))
      .refine((t) => t.getTime() > Date.now(), 'must be in the future')
      .optional()
      .meta({ description: 'when the token stops authenticating (401); default: never' }),
    expiresInDays: z
      .number(`must be an integer from 1 to ${MAX_DAYS}`)
      .int(`must be an integer from 1 to ${MAX_DAYS}`)
      .min(1, `must be an integer from 1 to ${MAX_DAYS}`)
      .max(MAX_DAYS, `must be an integer from 1 to ${MAX_DAYS}`)
      .optional()
      .meta({ description: 'expires this many days from now; instead of expiresAt' }),
  })
  .refine((b) => b.expiresAt === undefined || b.expiresInDays === undefined, { message: 'give expiresAt or expiresInDays, not both', path: ['expiresInDays'] })
  .meta({ id: 'CreateTokenRequest', example: { name: 'ci-trainer', role: 'trainer', expiresInDays: 90 } });
export type CreateTokenRequest = z.output<typeof CreateTokenRequest>;

export const TokenDto = z
  .strictObject({
    id: Uuid,
    name: z.string(),
    role: z.enum(ROLES as ['admin', 'trainer', 'viewer']),
    prefix: z.string().meta({ description: 'the first characters of the secret, to tell tokens apart', example: 'ty_Ab12Cd' }),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable().meta({ description: 'when it stops authenticating; null: never' }),
    lastUsedAt: Timestamp.nullable().meta({ description: 'the last authenticated request, to the minute; null: never used' }),
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
  description: 'The secret is in this answer only; it is stored hashed. An expired token answers 401 like a revoked one.',
  role: 'admin',
  body: CreateTokenRequest,
  responseDescription: 'the token with its secret',
  response: CreatedTokenDto,
  errors: [],
});

export const listTokens = listEndpoint({ path: '/v1/tokens', tag, summary: 'List tokens that are not revoked, expired ones included (no secrets)', role: 'admin', item: TokenDto });

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
