import { open, mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { dataPath, type TrainyardConfig } from '@trainyard/config';
import { Dataset, ModelVersion } from '@trainyard/db';
import { detectFormat, inspectDataset, previewDataset } from '@trainyard/ml';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, validationFailed, type FieldError } from '../common/api-error';
import type { Page, PageQuery } from '../common/pagination';
import { CONFIG } from '../config.token';
import type { UploadedDataset } from './dataset-upload';

export interface DatasetResponse {
  id: string;
  name: string;
  version: number;
  description: string | null;
  format: 'csv' | 'parquet';
  rows: number;
  columns: Dataset['columns'];
  sha256: string;
  sizeBytes: number;
  createdBy: string;
  createdAt: string;
}

export function toDatasetResponse(d: Dataset): DatasetResponse {
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

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function parseDatasetFields(fields: Record<string, string>): { name: string; description: string | null } {
  const errors: FieldError[] = [];
  const name = (fields.name ?? '').trim();
  if (!NAME.test(name)) errors.push({ field: 'name', message: 'required: letters, digits, ".", "_" or "-", up to 128 characters' });
  const description = fields.description?.trim() || null;
  if (description && description.length > 2000) errors.push({ field: 'description', message: 'at most 2000 characters' });
  if (errors.length) throw validationFailed(errors);
  return { name, description };
}

@Injectable()
export class DatasetsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
  ) {}

  /** Registers an uploaded file: the same content under the same name is the existing version; new content is the next version. */
  async register(principal: Principal, upload: UploadedDataset, sha256: string, meta: { name: string; description: string | null }): Promise<{ created: boolean; dataset: DatasetResponse }> {
    let moved = false;
    try {
      const handle = await open(upload.tempPath, 'r');
      const head = Buffer.alloc(4096);
      const { bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close());
      const format = detectFormat(upload.originalName, head.subarray(0, bytesRead));

      const same = await this.em.findOne(Dataset, { tenantId: principal.tenantId, name: meta.name, sha256 }, { orderBy: { version: 'asc' } });
      if (same) return { created: false, dataset: toDatasetResponse(same) };

      const inspection = await inspectDataset(upload.tempPath, format);
      for (let attempt = 0; ; attempt++) {
        const em = this.em.fork();
        const latest = await em.findOne(Dataset, { tenantId: principal.tenantId, name: meta.name }, { orderBy: { version: 'desc' }, fields: ['version'] });
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
          return { created: true, dataset: toDatasetResponse(dataset) };
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

  async list(principal: Principal, filter: { name?: string }, page: PageQuery): Promise<Page<DatasetResponse>> {
    const where = { tenantId: principal.tenantId, ...(filter.name ? { name: filter.name } : {}) };
    const [items, total] = await this.em.findAndCount(Dataset, where, { orderBy: { createdAt: 'desc', version: 'desc' }, limit: page.pageSize, offset: page.offset });
    return { items: items.map(toDatasetResponse), total, page: page.page, pageSize: page.pageSize };
  }

  async get(principal: Principal, id: string): Promise<Dataset> {
    const dataset = await this.em.findOne(Dataset, { id, tenantId: principal.tenantId });
    if (!dataset) throw notFound('DATASET', id);
    return dataset;
  }

  async preview(principal: Principal, id: string, limit: number) {
    const dataset = await this.get(principal, id);
    return previewDataset(dataPath(this.config.dataDir, dataset.storagePath), dataset.format, limit);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const dataset = await this.get(principal, id);
    const users = await this.em.find(ModelVersion, { tenantId: principal.tenantId, lineage: { datasetId: id } }, { fields: ['name', 'version'], limit: 10 });
    if (users.length) {
      throw new ApiError('DATASET_IN_USE', `model versions were trained on this dataset: ${users.map((m) => `${m.name} v${m.version}`).join(', ')}`, {
        modelVersions: users.map((m) => ({ name: m.name, version: m.version })),
      });
    }
    await this.em.removeAndFlush(dataset);
    await unlink(dataPath(this.config.dataDir, dataset.storagePath)).catch(() => undefined);
  }
}
