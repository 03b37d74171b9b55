import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@trainyard/db';

/** Who is calling: resolved from the bearer token on every /v1 request. */
export interface Principal {
  tokenId: string;
  tenantId: string;
  tenantName: string;
  role: Role;
  name: string;
  /** Epoch milliseconds after which the token no longer authenticates; null never. */
  expiresAt: number | null;
}

export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return (ctx.switchToHttp().getRequest() as { principal: Principal }).principal;
});
