import { rm, writeFile } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Dataset, ModelVersion, datasetObject } from '@trainyard/db';
import { previewDataset, wholeRecords, type DatasetPreview } from '@trainyard/ml';
import type { Storage } from '@trainyard/storage';
import type { Principal } from '../auth/principal';
import { ApiError, notFound, validationFailed, type FieldError } from '../common/api-error';
import type { Page, PageQuery } from '../common/pagination';
import { STORAGE } from '../config.token';
import type { ReceivedDataset } from './dataset-upload';

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

/** Bytes of a CSV's head a preview reads, whatever `limit` asks; long cells are cut to PREVIEW_CELL_CHARS. */
const PREVIEW_HEAD_BYTES = 4 * 2 ** 20;
const PREVIEW_CELL_CHARS = 1000;

@Injectable()
export class DatasetsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  /**
   * Registers an upload already in the store: the same content under the same name is the existing version; new
   * content is the next version. The row is written only once the file is whole.
   */
  async register(principal: Principal, upload: ReceivedDataset, meta: { name: string; description: string | null }): Promise<{ created: boolean; dataset: DatasetResponse }> {
    const same = await this.em.findOne(Dataset, { tenantId: principal.tenantId, name: meta.name, sha256: upload.object.sha256 }, { orderBy: { version: 'asc' } });
    if (same) return { created: false, dataset: toDatasetResponse(same) };
    for (let attempt = 0; ; attempt++) {
      const em = this.em.fork();
      const latest = await em.findOne(Dataset, { tenantId: principal.tenantId, name: meta.name }, { orderBy: { version: 'desc' }, fields: ['version'] });
      const dataset = em.create(Dataset, {
        id: upload.datasetId,
        tenantId: principal.tenantId,
        name: meta.name,
        version: (latest?.version ?? 0) + 1,
        description: meta.description,
        format: upload.format,
        rows: upload.inspection.rows,
        columns: upload.inspection.columns,
        sha256: upload.object.sha256,
        sizeBytes: upload.object.size,
        storageKey: upload.object.key,
        createdBy: principal.name,
        createdAt: new Date(),
      });
      try {
        await em.persistAndFlush(dataset);
        return { created: true, dataset: toDatasetResponse(dataset) };
      } catch (err) {
        // Another upload took this version number: look again.
        if (!(err instanceof UniqueConstraintViolationException) || attempt >= 5) throw err;
      }
    }
  }

  /** Whether a dataset row names this object (so it must stay). */
  async holds(storageKey: string): Promise<boolean> {
    return (await this.em.fork().count(Dataset, { storageKey })) > 0;
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

  /**
   * The first rows, bounded in bytes whatever the file: a CSV's first 4 MiB are read (and only its whole records
   * used), cells longer than 1000 characters are cut, and `truncated` says when either happened.
   */
  async preview(principal: Principal, id: string, limit: number): Promise<DatasetPreview & { truncated: boolean }> {
    const dataset = await this.get(principal, id);
    const object = datasetObject(dataset);
    let preview: DatasetPreview;
    let truncated = false;
    if (dataset.format === 'csv') {
      const head = await this.storage.readRange(object, 0, PREVIEW_HEAD_BYTES);
      const whole = head.length < PREVIEW_HEAD_BYTES ? head : wholeRecords(head);
      truncated = whole !== head;
      preview = whole ? await this.previewBytes(whole, limit) : { columns: dataset.columns, rows: [] };
    } else {
      const file = await this.storage.open(object);
      try {
        preview = await previewDataset(file.path, 'parquet', limit);
      } finally {
        file.release();
      }
    }
    const rows = preview.rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [column, value] of Object.entries(row)) {
        const cut = typeof value === 'string' && value.length > PREVIEW_CELL_CHARS;
        truncated ||= cut;
        out[column] = cut ? `${value.slice(0, PREVIEW_CELL_CHARS)}…` : value;
      }
      return out;
    });
    return { columns: dataset.columns, rows, truncated };
  }

  private async previewBytes(bytes: Buffer, limit: number): Promise<DatasetPreview> {
    const path = await this.storage.cache.scratchPath();
    try {
      await writeFile(path, bytes, { mode: 0o600 });
      return await previewDataset(path, 'csv', limit);
    } finally {
      await rm(path, { force: true });
    }
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const dataset = await this.get(principal, id);
    const users = await this.em.find(ModelVersion, { tenantId: principal.tenantId, lineage: { datasetId: id } }, { fields: ['name', 'version'], limit: 10 });
    if (users.length) {
      throw new ApiError(409, 'DATASET_IN_USE', `model versions were trained on this dataset: ${users.map((m) => `${m.name} v${m.version}`).join(', ')}`, {
        modelVersions: users.map((m) => ({ name: m.name, version: m.version })),
      });
    }
    await this.em.removeAndFlush(dataset);
    // The row goes first: a file without a row is swept by retention, a row without its file would fail jobs.
    await this.storage.delete(dataset.storageKey).catch(() => undefined);
  }
}
