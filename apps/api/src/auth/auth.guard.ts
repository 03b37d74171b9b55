import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { ApiToken, Tenant, UNSCOPED, scopeToTenant, type Role } from '@trainyard/db';
import type { Request } from 'express';
import { ApiError } from '../common/api-error';
import { AuthFailureLimiter } from './auth-failure-limiter';
import type { Principal } from './principal';
import { PrincipalCache } from './principal-cache';
import { MIN_ROLE_KEY, PUBLIC_KEY, roleAllows } from './roles.decorator';
import { hashToken } from './token-secret';
import { TokenUsage } from './token-usage';

export const AUTH_LIMITER = Symbol('AUTH_LIMITER');

/** Authenticates every non-public handler with a bearer token (not revoked, not expired) and checks the handler's least role. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly em: EntityManager,
    @Inject(AUTH_LIMITER) private readonly limiter: AuthFailureLimiter,
    private readonly principals: PrincipalCache,
  ) {
    this.usage = new TokenUsage((tokenId) => this.recordUse(tokenId));
  }

  private readonly usage: TokenUsage;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';

    // A presented token is checked first: a valid one gets through even from an address that failed too often,
    // so guessing from behind a shared address cannot lock its legitimate users out.
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const found = match ? await this.authenticate(hashToken(match[1])) : null;
    if (!found || 'expiredAt' in found) {
      const retryAfter = this.limiter.blockedFor(address);
      if (retryAfter > 0) {
        req.res?.setHeader('Retry-After', String(retryAfter));
        throw new ApiError('RATE_LIMITED', `too many failed authentications; retry in ${retryAfter}s`, { retryAfterSeconds: retryAfter });
      }
      this.limiter.recordFailure(address);
      if (found) throw new ApiError('UNAUTHENTICATED', `the bearer token expired at ${new Date(found.expiredAt).toISOString()}`);
      throw new ApiError('UNAUTHENTICATED', match ? 'the bearer token is not valid or was revoked' : 'missing Authorization: Bearer <token> header');
    }
    const principal = found;
    req.principal = principal;
    this.usage.touch(principal.tokenId);
    // From here on every query of this request is the caller's tenant's (libs/db tenancy/tenant-scope).
    scopeToTenant(this.em, principal.tenantId);

    const needed = this.reflector.getAllAndOverride<Role>(MIN_ROLE_KEY, targets) ?? 'viewer';
    if (!roleAllows(principal.role, needed)) {
      throw new ApiError('FORBIDDEN', `this needs the ${needed} role; the token has ${principal.role}`);
    }
    return true;
  }

  /** The token's principal; `expiredAt` for a token past its expiry (cached or not); null for anything else. */
  private async authenticate(tokenHash: string): Promise<Principal | { expiredAt: number } | null> {
    const principal = this.principals.get(tokenHash) ?? (await this.lookUp(tokenHash));
    if (principal?.expiresAt != null && principal.expiresAt <= Date.now()) return { expiredAt: principal.expiresAt };
    return principal;
  }

  private async lookUp(tokenHash: string): Promise<Principal | null> {
    // The one read that must cross tenants: which tenant a token belongs to.
    const token = await this.em.findOne(ApiToken, { tokenHash, revokedAt: null }, UNSCOPED);
    if (!token) return null;
    const tenant = await this.em.findOneOrFail(Tenant, { id: token.tenantId });
    const principal: Principal = { tokenId: token.id, tenantId: token.tenantId, tenantName: tenant.name, role: token.role, name: token.name, expiresAt: token.expiresAt?.getTime() ?? null };
    this.principals.set(tokenHash, principal);
    return principal;
  }

  /** The database keeps its own minute too, so several API instances do not each write. */
  private async recordUse(tokenId: string): Promise<void> {
    await this.em
      .getConnection()
      .execute(`update api_tokens set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - interval '1 minute')`, [tokenId]);
  }
}
