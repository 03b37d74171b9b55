import { Inject, Injectable, Logger } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import type { StoredObject } from '@trainyard/contracts';
import { ModelAlias, ModelVersion } from '@trainyard/db';
import type { Storage } from '@trainyard/storage';
import type { Principal } from '../auth/principal';
import { ApiError, notFound } from '../common/api-error';
import { STORAGE } from '../config.token';
import { ModelVersionLookups } from '../serving/model-version-lookups';

/**
 * Deletes model versions, never one an alias points at, and then the objects no remaining version of the tenant
 * shares (they are content-addressed: identical models share one ONNX file, plan and engine model).
 */
@Injectable()
export class ModelDeletion {
  private readonly logger = new Logger('models');

  constructor(
    private readonly em: EntityManager,
    private readonly lookups: ModelVersionLookups,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  async deleteVersion(principal: Principal, name: string, version: number): Promise<void> {
    await this.remove(principal, name, { version });
  }

  async deleteModel(principal: Principal, name: string): Promise<void> {
    await this.remove(principal, name, {});
  }

  /**
   * Removes the versions in one transaction that holds their rows, so an alias cannot be pointed at one meanwhile
   * (setAlias reads the version under a share lock); the objects go once the rows are gone.
   */
  private async remove(principal: Principal, name: string, which: { version?: number }): Promise<void> {
    const removed = await this.em.transactional(async (em) => {
      const versions = await em.find(ModelVersion, { name, ...which }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { version: 'asc' } });
      if (!versions.length) throw notFound('MODEL', which.version === undefined ? name : `${name} v${which.version}`);
      const numbers = versions.map((v) => v.version);
      const aliases = await em.find(ModelAlias, { modelName: name, version: { $in: numbers } }, { orderBy: { alias: 'asc' } });
      if (aliases.length) {
        const held = aliases.map((a) => `${a.alias} → v${a.version}`).join(', ');
        throw new ApiError('MODEL_VERSION_IN_USE', `${which.version === undefined ? `model ${name}` : `${name} v${which.version}`} is in use by its aliases (${held}); move or delete them first`, {
          aliases: aliases.map((a) => ({ alias: a.alias, version: a.version })),
        });
      }
      em.remove(versions);
      await em.flush();
      return versions;
    });
    this.lookups.forgetModel(principal.tenantId, name);
    const objects = removed.flatMap((v) => [v.artifact, v.plan, v.engineModel].filter((o): o is StoredObject => o !== null));
    for (const key of new Set(objects.map((o) => o.key))) await this.deleteUnshared(key);
  }

  /** Deletes an object unless a version still names it; a store that fails is logged (retention sweeps later). */
  private async deleteUnshared(key: string): Promise<void> {
    const users = await this.em.fork().count(ModelVersion, { $or: [{ artifact: { key } }, { plan: { key } }, { engineModel: { key } }] });
    if (users > 0) return;
    await this.storage.delete(key).catch((err: unknown) => this.logger.warn(`could not delete ${key}: ${err instanceof Error ? err.message : String(err)}`));
  }
}
