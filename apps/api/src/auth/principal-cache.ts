import { Inject, Injectable } from '@nestjs/common';
import type { TrainyardConfig } from '@trainyard/config';
import { TtlCache } from '../common/ttl-cache';
import { CONFIG } from '../config.token';
import type { Principal } from './principal';

const MAX_TOKENS = 10_000;

/**
 * Authenticated principals by token hash, kept for `lookupCacheMs` so a busy client costs no database round
 * trips per request. Only successful lookups are kept; revoking a token here forgets it at once.
 */
@Injectable()
export class PrincipalCache {
  private readonly byHash: TtlCache<string, Principal>;

  constructor(@Inject(CONFIG) config: TrainyardConfig) {
    this.byHash = new TtlCache(config.lookupCacheMs, MAX_TOKENS);
  }

  get(tokenHash: string): Principal | undefined {
    return this.byHash.get(tokenHash);
  }

  set(tokenHash: string, principal: Principal): void {
    this.byHash.set(tokenHash, principal);
  }

  forgetToken(tokenId: string): void {
    this.byHash.deleteWhere((_, p) => p.tokenId === tokenId);
  }
}
