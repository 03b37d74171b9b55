import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ApiToken, ROLES, type Role } from '@trainyard/db';
import type { Principal } from '../auth/principal';
import { PrincipalCache } from '../auth/principal-cache';
import { displayPrefix, hashToken, newTokenSecret } from '../auth/token-secret';
import { notFound, validationFailed, type FieldError } from '../common/api-error';
import type { Page, PageQuery } from '../common/pagination';

export interface TokenResponse {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
}

export interface CreatedTokenResponse extends TokenResponse {
  /** The secret; returned only by the request that created it. */
  token: string;
}

export function parseCreateToken(body: unknown): { name: string; role: Role } {
  const errors: FieldError[] = [];
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.name !== 'string' || !b.name.trim() || b.name.length > 100) errors.push({ field: 'name', message: 'must be a non-empty string of at most 100 characters' });
  if (!ROLES.includes(b.role as Role)) errors.push({ field: 'role', message: `must be one of ${ROLES.join(', ')}` });
  if (errors.length) throw validationFailed(errors);
  return { name: (b.name as string).trim(), role: b.role as Role };
}

export function toTokenResponse(t: ApiToken): TokenResponse {
  return { id: t.id, name: t.name, role: t.role, prefix: t.prefix, createdAt: t.createdAt.toISOString() };
}

@Injectable()
export class TokensService {
  constructor(
    private readonly em: EntityManager,
    private readonly principals: PrincipalCache,
  ) {}

  async create(principal: Principal, input: { name: string; role: Role }, tenantId = principal.tenantId): Promise<CreatedTokenResponse> {
    const secret = newTokenSecret();
    const token = this.em.create(ApiToken, { tenantId, name: input.name, role: input.role, tokenHash: hashToken(secret), prefix: displayPrefix(secret), createdAt: new Date() });
    await this.em.persistAndFlush(token);
    return { ...toTokenResponse(token), token: secret };
  }

  async list(principal: Principal, page: PageQuery): Promise<Page<TokenResponse>> {
    const [items, total] = await this.em.findAndCount(
      ApiToken,
      { tenantId: principal.tenantId, revokedAt: null },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: page.pageSize, offset: page.offset },
    );
    return { items: items.map(toTokenResponse), total, page: page.page, pageSize: page.pageSize };
  }

  async revoke(principal: Principal, id: string): Promise<void> {
    const token = await this.em.findOne(ApiToken, { id, tenantId: principal.tenantId, revokedAt: null });
    if (!token) throw notFound('TOKEN', id);
    token.revokedAt = new Date();
    await this.em.flush();
    this.principals.forgetToken(token.id);
  }
}
