import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { ApiToken, type Role } from '@trainyard/db';
import type { Principal } from '../auth/principal';
import { PrincipalCache } from '../auth/principal-cache';
import { displayPrefix, hashToken, newTokenSecret } from '../auth/token-secret';
import { notFound } from '../common/api-error';
import { WithStatus } from '../common/endpoint';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { pageWindow, type Page, type PageQuery } from '../common/schemas';
import type { CreatedTokenDto, TokenDto } from './tokens.dto';

export function toTokenDto(t: ApiToken): TokenDto {
  return {
    id: t.id,
    name: t.name,
    role: t.role,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}

export interface NewToken {
  name: string;
  role: Role;
  expiresAt?: Date;
  /** Counted from when the token is made. */
  expiresInDays?: number;
}

const DAY_MS = 86_400_000;

@Injectable()
export class TokensService {
  constructor(
    private readonly em: EntityManager,
    private readonly principals: PrincipalCache,
    private readonly idempotency: IdempotencyService,
  ) {}

  create(principal: Principal, input: NewToken, key: string | undefined): Promise<WithStatus<CreatedTokenDto>> {
    return this.idempotency.run(
      { route: 'POST /v1/tokens', key, hash: requestHash(input) },
      async () => new WithStatus(201, await this.issue(this.em, principal.tenantId, input)),
      // The secret is never kept: a replay answers with the token's metadata only.
      (created) => ({ ...created, token: null }),
    );
  }

  /** A new token of `tenantId`, through `em` (a new tenant's first token is made in that tenant's scope). */
  async issue(em: EntityManager, tenantId: string, input: NewToken): Promise<CreatedTokenDto> {
    const secret = newTokenSecret();
    const token = em.create(ApiToken, { tenantId, name: input.name, role: input.role, tokenHash: hashToken(secret), prefix: displayPrefix(secret), createdAt: new Date(), expiresAt: expiryOf(input) });
    await em.persistAndFlush(token);
    return { ...toTokenDto(token), token: secret };
  }

  async list(query: PageQuery): Promise<Page<TokenDto>> {
    const page = pageWindow(query);
    const [items, total] = await this.em.findAndCount(ApiToken, { revokedAt: null }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: items.map(toTokenDto), total, page: page.page, pageSize: page.pageSize };
  }

  async revoke(id: string): Promise<void> {
    const token = await this.em.findOne(ApiToken, { id, revokedAt: null });
    if (!token) throw notFound('TOKEN', id);
    token.revokedAt = new Date();
    await this.em.flush();
    this.principals.forgetToken(token.id);
  }
}

function expiryOf(input: NewToken): Date | null {
  if (input.expiresAt) return input.expiresAt;
  return input.expiresInDays === undefined ? null : new Date(Date.now() + input.expiresInDays * DAY_MS);
}
