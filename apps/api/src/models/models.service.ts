import { Inject, Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { dataPath, type TrainyardConfig } from '@trainyard/config';
import { ModelAlias, ModelAliasEvent, ModelVersion } from '@trainyard/db';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, validationFailed } from '../common/api-error';
import type { Page, PageQuery } from '../common/pagination';
import { CONFIG } from '../config.token';
import { ModelVersionLookups } from '../serving/model-version-lookups';

const ALIAS = /^[a-z][a-z0-9_-]{0,62}$/;

export interface ModelSummary {
  name: string;
  task: string;
  modelType: string;
  latestVersion: number;
  versionCount: number;
  aliases: Record<string, number>;
  updatedAt: string;
}

export function toVersionResponse(v: ModelVersion, aliases: string[]) {
  return {
    name: v.name,
    version: v.version,
    jobId: v.jobId,
    modelType: v.modelType,
    task: v.task,
    metrics: v.metrics,
    signature: v.signature,
    featureImportance: v.featureImportance,
    lineage: v.lineage,
    sizeBytes: v.sizeBytes,
    sha256: v.sha256,
    aliases,
    createdAt: v.createdAt.toISOString(),
  };
}

@Injectable()
export class ModelsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    private readonly lookups: ModelVersionLookups,
  ) {}

  async list(principal: Principal, page: PageQuery, filter: { name?: string } = {}): Promise<Page<ModelSummary>> {
    const db = this.em.getConnection();
    const nameFilter = filter.name ? 'and name = ?' : '';
    const params = filter.name ? [principal.tenantId, filter.name] : [principal.tenantId];
    const [{ total }] = await db.execute<{ total: number }[]>(`select count(distinct name)::int as total from model_versions where tenant_id = ? ${nameFilter}`, params);
    const rows = await db.execute<{ name: string; latest: number; count: number; updated_at: Date }[]>(
      `select name, max(version)::int as latest, count(*)::int as count, max(created_at) as updated_at
         from model_versions where tenant_id = ? ${nameFilter}
        group by name order by max(created_at) desc, name limit ? offset ?`,
      [...params, page.pageSize, page.offset],
    );
    return { items: await this.summaries(principal.tenantId, rows), total, page: page.page, pageSize: page.pageSize };
  }

  async get(principal: Principal, name: string): Promise<ModelSummary> {
    const page = await this.list(principal, { page: 1, pageSize: 1, offset: 0 }, { name });
    if (!page.items.length) throw notFound('MODEL', name);
    return page.items[0];
  }

  private async summaries(tenantId: string, rows: { name: string; latest: number; count: number; updated_at: Date }[]): Promise<ModelSummary[]> {
    if (!rows.length) return [];
    const names = rows.map((r) => r.name);
    const latest = await this.em.find(ModelVersion, { tenantId, $or: rows.map((r) => ({ name: r.name, version: r.latest })) }, { fields: ['name', 'task', 'modelType'] });
    const aliases = await this.em.find(ModelAlias, { tenantId, modelName: { $in: names } });
    return rows.map((r) => {
      const mine = aliases.filter((a) => a.modelName === r.name);
      const aliasMoved = Math.max(0, ...mine.map((a) => a.updatedAt.getTime()));
      const version = latest.find((v) => v.name === r.name);
      return {
        name: r.name,
        task: version?.task ?? 'classification',
        modelType: version?.modelType ?? 'xgboost',
        latestVersion: r.latest,
        versionCount: r.count,
        aliases: Object.fromEntries(mine.map((a) => [a.alias, a.version])),
        updatedAt: new Date(Math.max(new Date(r.updated_at).getTime(), aliasMoved)).toISOString(),
      };
    });
  }

  async versions(principal: Principal, name: string, page: PageQuery) {
    const [items, total] = await this.em.findAndCount(ModelVersion, { tenantId: principal.tenantId, name }, { orderBy: { version: 'desc' }, limit: page.pageSize, offset: page.offset });
    if (total === 0) throw notFound('MODEL', name);
    const aliases = await this.em.find(ModelAlias, { tenantId: principal.tenantId, modelName: name });
    return { items: items.map((v) => toVersionResponse(v, aliases.filter((a) => a.version === v.version).map((a) => a.alias))), total, page: page.page, pageSize: page.pageSize };
  }

  async version(principal: Principal, name: string, version: number): Promise<ModelVersion> {
    const found = await this.em.findOne(ModelVersion, { tenantId: principal.tenantId, name, version });
    if (!found) throw notFound('MODEL', `${name} v${version}`);
    return found;
  }

  async versionResponse(principal: Principal, name: string, version: number) {
    const v = await this.version(principal, name, version);
    const aliases = await this.em.find(ModelAlias, { tenantId: principal.tenantId, modelName: name, version });
    return toVersionResponse(v, aliases.map((a) => a.alias));
  }

  artifactFile(v: ModelVersion): string {
    return dataPath(this.config.dataDir, v.artifactPath);
  }

  /** Points `alias` at `version` and records who moved it from where. */
  async setAlias(principal: Principal, name: string, alias: string, body: unknown, reason: string | null = null) {
    if (!ALIAS.test(alias)) throw validationFailed([{ field: 'alias', message: 'lowercase letters, digits, "_" and "-", starting with a letter' }]);
    const version = (body as { version?: unknown } | null)?.version;
    if (!Number.isInteger(version) || (version as number) < 1) throw validationFailed([{ field: 'version', message: 'required: a version number of this model' }]);
    await this.version(principal, name, version as number);
    const moved = await this.em.transactional(async (em) => {
      const current = await em.findOne(ModelAlias, { tenantId: principal.tenantId, modelName: name, alias }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const from = current?.version ?? null;
      if (current) {
        current.version = version as number;
        current.updatedAt = new Date();
        current.updatedBy = principal.name;
      } else {
        em.persist(em.create(ModelAlias, { tenantId: principal.tenantId, modelName: name, alias, version: version as number, updatedBy: principal.name, updatedAt: new Date() }));
      }
      em.persist(em.create(ModelAliasEvent, { tenantId: principal.tenantId, modelName: name, alias, fromVersion: from, toVersion: version as number, actor: principal.name, reason, at: new Date() }));
      await em.flush();
      return { name, alias, version: version as number, previousVersion: from, updatedBy: principal.name, updatedAt: new Date().toISOString() };
    });
    this.lookups.forgetModel(principal.tenantId, name);
    return moved;
  }

  async deleteAlias(principal: Principal, name: string, alias: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const current = await em.findOne(ModelAlias, { tenantId: principal.tenantId, modelName: name, alias });
      if (!current) throw new ApiError('MODEL_NOT_FOUND', `model ${name} has no alias ${alias}`);
      em.remove(current);
      em.persist(em.create(ModelAliasEvent, { tenantId: principal.tenantId, modelName: name, alias, fromVersion: current.version, toVersion: null, actor: principal.name, at: new Date() }));
      await em.flush();
    });
    this.lookups.forgetModel(principal.tenantId, name);
  }

  async aliasEvents(principal: Principal, name: string, page: PageQuery) {
    const [items, total] = await this.em.findAndCount(ModelAliasEvent, { tenantId: principal.tenantId, modelName: name }, { orderBy: { id: 'desc' }, limit: page.pageSize, offset: page.offset });
    return {
      items: items.map((e) => ({ alias: e.alias, fromVersion: e.fromVersion, toVersion: e.toVersion, actor: e.actor, reason: e.reason, at: e.at.toISOString() })),
      total,
      page: page.page,
      pageSize: page.pageSize,
    };
  }
}
