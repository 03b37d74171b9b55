import { open, mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { dataPath, type TrainyardConfig } from '@trainyard/config';
import { Dataset, ModelVersion } from '@trainyard/db';
import { detectFormat, inspectDataset, previewDataset, sha256File } from '@trainyard/ml';
import type { Principal } from '../auth/principal';
import type { Request, Response } from 'express';
import { ApiError, notFound, validationFailed } from '../common/api-error';
import { WithStatus } from '../common/endpoint';
import { CONTROL_IN_BODY, controlCharacterFields, zodFieldErrors } from '../common/endpoint.interceptor';
import { IdempotencyService } from '../common/idempotency.service';
import { pageWindow, type Page, type PageQuery } from '../common/schemas';
import { CONFIG } from '../config.token';
import { receiveUpload, type UploadedDataset } from './dataset-upload';
import { DatasetFields, type DatasetDto } from './datasets.dto';

export function toDatasetDto(d: Dataset): DatasetDto {
  return {
    id: d.id,
    name: d.name,
    version: d.version,
    description: d.description,
    format: d.format,
    rows: d.rows,
    columns: d.columns,
    sha256: d.sha256,
    sizeBytes: d.sizeBytes,
    createdBy: d.createdBy,
    createdAt: d.createdAt.toISOString(),
  };
}

/** The upload form's text fields, checked like any JSON field. */
export function parseDatasetFields(fields: Record<string, string>): { name: string; description: string | null } {
  const errors = controlCharacterFields(fields, '', CONTROL_IN_BODY);
  if (errors.length) throw validationFailed(errors);
  const parsed = DatasetFields.safeParse(fields);
  if (!parsed.success) throw validationFailed(zodFieldErrors(parsed.error));
  return parsed.data;
}

@Injectable()
export class DatasetsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** Receives a multipart upload and registers it; a replayed Idempotency-Key discards the new copy. */
  async upload(principal: Principal, req: Request, res: Response, key: string | undefined): Promise<WithStatus<DatasetDto>> {
    const upload = await receiveUpload(req, res, this.config.dataDir, this.config.maxUploadBytes);
    let meta: ReturnType<typeof parseDatasetFields>;
    try {
      meta = parseDatasetFields(upload.fields);
    } catch (err) {
      await upload.discard();
      throw err;
    }
    const sha256 = await sha256File(upload.tempPath);
    const hash = `${meta.name}\n${meta.description ?? ''}\n${sha256}`;
    const result = await this.idempotency.run({ route: 'POST /v1/datasets', key, hash }, async () => {
      const { created, dataset } = await this.register(principal, upload, sha256, meta);
      return new WithStatus(created ? 201 : 200, dataset);
    });
    if (result.status === 200) await upload.discard();
    return result;
  }

  /** Registers an uploaded file: the same content under the same name is the existing version; new content is the next version. */
  async register(principal: Principal, upload: UploadedDataset, sha256: string, meta: { name: string; description: string | null }): Promise<{ created: boolean; dataset: DatasetDto }> {
    let moved = false;
    try {
      const handle = await open(upload.tempPath, 'r');
      const head = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close());
      const format = detectFormat(upload.originalName, head.subarray(0, bytesRead));

      const same = await this.em.findOne(Dataset, { name: meta.name, sha256 }, { orderBy: { version: 'asc' } });
      if (same) return { created: false, dataset: toDatasetDto(same) };

      const inspection = await inspectDataset(upload.tempPath, format);
      for (let attempt = 0; ; attempt++) {
        const em = this.em.fork();
        const latest = await em.findOne(Dataset, { name: meta.name }, { orderBy: { version: 'desc' }, fields: ['version'] });
        const dataset = em.create(Dataset, {
          tenantId: principal.tenantId,
          name: meta.name,
          version: (latest?.version ?? 0) + 1,
          description: meta.description,
          format,
          rows: inspection.rows,
          columns: inspection.columns,
          sha256,
          sizeBytes: upload.sizeBytes,
          storagePath: '',
          createdBy: principal.name,
          createdAt: new Date(),
        });
        dataset.storagePath = join('datasets', principal.tenantId, `${dataset.id}.${format}`);
        const target = dataPath(this.config.dataDir, dataset.storagePath);
        await mkdir(dirname(target), { recursive: true });
        await rename(upload.tempPath, target);
        moved = true;
        try {
          await em.persistAndFlush(dataset);
          return { created: true, dataset: toDatasetDto(dataset) };
        } catch (err) {
          await rename(target, upload.tempPath);
          moved = false;
          if (!(err instanceof UniqueConstraintViolationException) || attempt >= 5) throw err;
        }
      }
    } finally {
      if (!moved) await upload.discard();
    }
  }

  async list(query: PageQuery & { name?: string }): Promise<Page<DatasetDto>> {
    const page = pageWindow(query);
    const where = query.name ? { name: query.name } : {};
    const [items, total] = await this.em.findAndCount(Dataset, where, { orderBy: { createdAt: 'desc', version: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: items.map(toDatasetDto), total, page: page.page, pageSize: page.pageSize };
  }

  async get(id: string): Promise<Dataset> {
    const dataset = await this.em.findOne(Dataset, { id });
    if (!dataset) throw notFound('DATASET', id);
    return dataset;
  }

  async describe(id: string): Promise<DatasetDto> {
    return toDatasetDto(await this.get(id));
  }

  async preview(id: string, limit: number) {
    const dataset = await this.get(id);
    return previewDataset(dataPath(this.config.dataDir, dataset.storagePath), dataset.format, limit);
  }

  async remove(id: string): Promise<void> {
    const dataset = await this.get(id);
    const users = await this.em.find(ModelVersion, { lineage: { datasetId: id } }, { fields: ['name', 'version'], limit: 10 });
    if (users.length) {
      throw new ApiError('DATASET_IN_USE', `model versions were trained on this dataset: ${users.map((m) => `${m.name} v${m.version}`).join(', ')}`, {
        modelVersions: users.map((m) => ({ name: m.name, version: m.version })),
      });
    }
    await this.em.removeAndFlush(dataset);
    await unlink(dataPath(this.config.dataDir, dataset.storagePath)).catch(() => undefined);
  }
}
