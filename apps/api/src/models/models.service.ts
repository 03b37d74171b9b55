import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { LockMode, raw } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { ModelAlias, ModelAliasEvent, ModelVersion, currentTenant } from '@trainyard/db';
import type { Request, Response } from 'express';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, validationFailed } from '../common/api-error';
import { AliasName, LATEST, pageWindow, type Page, type PageQuery } from '../common/schemas';
import { EventPublisher } from '../events/event-publisher';
import { ModelVersionLookups } from '../serving/model-version-lookups';
import { PredictService } from '../serving/predict.service';
import type { AliasMoveDto, ModelSummaryDto, ModelVersionDto } from './models.dto';

export function toVersionDto(v: ModelVersion, aliases: string[]): ModelVersionDto {
  return {
    name: v.name,
    version: v.version,
    label: v.label,
    description: v.description,
    jobId: v.jobId,
    modelType: v.modelType,
    task: v.task,
    metrics: v.metrics,
    signature: v.signature,
    featureImportance: v.featureImportance,
    lineage: { ...v.lineage },
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
    private readonly lookups: ModelVersionLookups,
    private readonly predictor: PredictService,
    private readonly events: EventPublisher,
  ) {}

  async list(query: PageQuery): Promise<Page<ModelSummaryDto>> {
    return this.page(pageWindow(query));
  }

  /** Models grouped from their versions: a grouped ORM query, scoped like every other read. */
  private async page(page: { page: number; pageSize: number; offset: number }, name?: string): Promise<Page<ModelSummaryDto>> {
    const where = { tenantId: currentTenant(this.em), ...(name ? { name } : {}) };
    const grouped = () => this.em.createQueryBuilder(ModelVersion, 'v').where(where);
    const [{ total }] = (await grouped().select(raw('count(distinct name)::int as total')).execute('all')) as { total: number }[];
    const rows = (await grouped()
      .select(['name', raw('max(version)::int as latest'), raw('count(*)::int as count'), raw('max(created_at) as updated_at')])
      .groupBy('name')
      .orderBy({ [raw('max(created_at)')]: 'desc', name: 'asc' })
      .limit(page.pageSize)
      .offset(page.offset)
      .execute('all')) as { name: string; latest: number; count: number; updated_at: Date }[];
    return { items: await this.summaries(rows), total, page: page.page, pageSize: page.pageSize };
  }

  async get(name: string): Promise<ModelSummaryDto> {
    const page = await this.page({ page: 1, pageSize: 1, offset: 0 }, name);
    if (!page.items.length) throw notFound('MODEL', name);
    return page.items[0];
  }

  private async summaries(rows: { name: string; latest: number; count: number; updated_at: Date }[]): Promise<ModelSummaryDto[]> {
    if (!rows.length) return [];
    const names = rows.map((r) => r.name);
    const latest = await this.em.find(ModelVersion, { $or: rows.map((r) => ({ name: r.name, version: r.latest })) }, { fields: ['name', 'task', 'modelType'] });
    const aliases = await this.em.find(ModelAlias, { modelName: { $in: names } });
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

  async versions(name: string, query: PageQuery): Promise<Page<ModelVersionDto>> {
    const page = pageWindow(query);
    const [items, total] = await this.em.findAndCount(ModelVersion, { name }, { orderBy: { version: 'desc' }, limit: page.pageSize, offset: page.offset });
    if (total === 0) throw notFound('MODEL', name);
    const aliases = await this.em.find(ModelAlias, { modelName: name });
    return { items: items.map((v) => toVersionDto(v, aliases.filter((a) => a.version === v.version).map((a) => a.alias))), total, page: page.page, pageSize: page.pageSize };
  }

  /** A version by number, or the newest for `latest`. */
  async version(name: string, version: number | typeof LATEST): Promise<ModelVersion> {
    const found = version === LATEST ? await this.em.findOne(ModelVersion, { name }, { orderBy: { version: 'desc' } }) : await this.em.findOne(ModelVersion, { name, version });
    if (!found) throw notFound('MODEL', `${name} ${version === LATEST ? LATEST : `v${version}`}`);
    return found;
  }

  async versionResponse(name: string, version: number | typeof LATEST): Promise<ModelVersionDto> {
    const v = await this.version(name, version);
    const aliases = await this.em.find(ModelAlias, { modelName: name, version: v.version });
    return toVersionDto(v, aliases.map((a) => a.alias));
  }

  async updateVersion(name: string, version: number, changes: { label?: string | null; description?: string | null }): Promise<ModelVersionDto> {
    const v = await this.version(name, version);
    if (changes.label !== undefined) v.label = changes.label;
    if (changes.description !== undefined) v.description = changes.description;
    await this.em.flush();
    return this.versionResponse(name, version);
  }

  /** The ONNX file; gzip-compressed on the wire when the client accepts it, with its sha256 to verify. */
  async sendArtifact(name: string, version: number | typeof LATEST, req: Request, res: Response): Promise<void> {
    const v = await this.version(name, version);
    const gzip = /\bgzip\b/.test(req.get('accept-encoding') ?? '');
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${encodeURIComponent(name)}-v${v.version}.onnx"`);
    res.setHeader('X-Content-SHA256', v.sha256);
    res.setHeader('Digest', `sha-256=${Buffer.from(v.sha256, 'hex').toString('base64')}`);
    const bytes = await this.predictor.artifact(v);
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    else res.setHeader('Content-Length', String(bytes.length));
    if (gzip) await pipeline(Readable.from([bytes]), createGzip(), res);
    else res.end(bytes);
  }

  /**
   * Points `alias` at `version` and records who moved it from where, and why. A move to another version is a
   * promotion: a model.promoted event, recorded with the move and delivered to the webhooks that listen.
   */
  async setAlias(principal: Principal, name: string, alias: string, version: number, reason: string | null = null): Promise<AliasMoveDto> {
    const checked = AliasName.safeParse(alias);
    if (!checked.success) throw validationFailed([{ field: 'alias', message: checked.error.issues[0].message }]);
    const { moved, eventId } = await this.em.transactional(async (em) => {
      // Under a share lock: a deletion of this version waits for the move, or the move sees the version gone.
      const target = await em.findOne(ModelVersion, { name, version }, { lockMode: LockMode.PESSIMISTIC_READ });
      if (!target) throw notFound('MODEL', `${name} v${version}`);
      const current = await em.findOne(ModelAlias, { modelName: name, alias }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const from = current?.version ?? null;
      const at = new Date();
      if (current) {
        current.version = version;
        current.updatedAt = at;
        current.updatedBy = principal.name;
      } else {
        em.persist(em.create(ModelAlias, { tenantId: principal.tenantId, modelName: name, alias, version, updatedBy: principal.name, updatedAt: at }));
      }
      const audit = em.create(ModelAliasEvent, { tenantId: principal.tenantId, modelName: name, alias, fromVersion: from, toVersion: version, actor: principal.name, reason, at });
      em.persist(audit);
      await em.flush();
      const promoted =
        from === version
          ? null
          : await this.events.record(em, principal.tenantId, 'model.promoted', `alias-move:${audit.id}`, {
              jobId: target.jobId,
              modelName: name,
              modelVersion: version,
              modelType: target.modelType,
              alias,
              previousVersion: from,
              actor: principal.name,
              reason,
              metrics: target.metrics,
              deploymentReady: true,
              performanceImprovement: null,
            });
      return { moved: { name, alias, version, previousVersion: from, updatedBy: principal.name, updatedAt: at.toISOString() }, eventId: promoted };
    });
    this.lookups.forgetModel(principal.tenantId, name);
    if (eventId) await this.events.deliver(this.em, principal.tenantId, 'model.promoted', eventId);
    return moved;
  }

  async deleteAlias(principal: Principal, name: string, alias: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const current = await em.findOne(ModelAlias, { modelName: name, alias });
      if (!current) throw new ApiError('MODEL_NOT_FOUND', `model ${name} has no alias ${alias}`);
      em.remove(current);
      em.persist(em.create(ModelAliasEvent, { tenantId: principal.tenantId, modelName: name, alias, fromVersion: current.version, toVersion: null, actor: principal.name, at: new Date() }));
      await em.flush();
    });
    this.lookups.forgetModel(principal.tenantId, name);
  }

  async aliasEvents(name: string, query: PageQuery) {
    const page = pageWindow(query);
    if (!(await this.em.count(ModelVersion, { name }))) throw notFound('MODEL', name);
    const [items, total] = await this.em.findAndCount(ModelAliasEvent, { modelName: name }, { orderBy: { id: 'desc' }, limit: page.pageSize, offset: page.offset });
    return {
      items: items.map((e) => ({ alias: e.alias, fromVersion: e.fromVersion, toVersion: e.toVersion, actor: e.actor, reason: e.reason, at: e.at.toISOString() })),
      total,
      page: page.page,
      pageSize: page.pageSize,
    };
  }
}
