import { Inject, Injectable } from '@nestjs/common';
import type { TrainyardConfig } from '@trainyard/config';
import type { ModelVersion } from '@trainyard/db';
import { TtlCache } from '../common/ttl-cache';
import { CONFIG } from '../config.token';

const MAX_LOOKUPS = 10_000;

/**
 * Which model version a predict request names (a version number, an alias, or the latest), kept for
 * `lookupCacheMs` so serving does not query the registry per request. Alias changes made through this API
 * instance forget the model's entries at once; promotions by scheduled retrains show within the TTL.
 */
@Injectable()
export class ModelVersionLookups {
  private readonly resolved: TtlCache<string, ModelVersion>;

  constructor(@Inject(CONFIG) config: TrainyardConfig) {
    this.resolved = new TtlCache(config.lookupCacheMs, MAX_LOOKUPS);
  }

  /** The cached answer, or `look()`'s (kept when it found a version). */
  async resolve(tenantId: string, name: string, selector: string, look: () => Promise<ModelVersion | null>): Promise<ModelVersion | null> {
    const key = keyOf(tenantId, name, selector);
    const cached = this.resolved.get(key);
    if (cached) return cached;
    const found = await look();
    if (found) this.resolved.set(key, found);
    return found;
  }

  forgetModel(tenantId: string, name: string): void {
    const prefix = keyOf(tenantId, name, '');
    this.resolved.deleteWhere((key) => key.startsWith(prefix));
  }
}

const keyOf = (tenantId: string, name: string, selector: string) => `${tenantId}\u0000${name}\u0000${selector}`;
