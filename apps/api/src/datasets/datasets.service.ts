import { rm, writeFile } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import type { TrainyardConfig } from '@trainyard/config';
import { Dataset, ModelVersion, TrainingJob, datasetObject } from '@trainyard/db';
import { previewDataset, wholeRecords, type DatasetPreview } from '@trainyard/ml';
import { objectKeys, type Storage } from '@trainyard/storage';
import type { Principal } from '../auth/principal';
import type { Request, Response } from 'express';
import { ApiError, mlErrorsAsApiErrors, notFound, validationFailed } from '../common/api-error';
import { WithStatus } from '../common/endpoint';
import { CONTROL_IN_BODY, controlCharacterFields, zodFieldErrors } from '../common/endpoint.interceptor';
import { IdempotencyService } from '../common/idempotency.service';
import { pageWindow, type Page, type PageQuery } from '../common/schemas';
import { CONFIG, STORAGE } from '../config.token';
import { receiveDatasetUpload, type ReceivedDataset } from './dataset-upload';
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
    archived: d.archivedAt !== null,
    archivedAt: d.archivedAt?.toISOString() ?? null,
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

/** Bytes of a CSV's head a preview reads, whatever `limit` asks; long cells are cut to PREVIEW_CELL_CHARS. */
const PREVIEW_HEAD_BYTES = 4 * 2 ** 20;
const PREVIEW_CELL_CHARS = 1000;

@Injectable()
export class DatasetsService {
  constructor(
    private readonly em: EntityManager,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(STORAGE) private readonly storage: Storage,
    private readonly idempotency: IdempotencyService,
  ) {}

  /**
   * Receives a multipart upload straight into the store (hashed and parsed as it arrives) and registers it; the
   * file stays only when it became a new version, so a refused or replayed request keeps nothing.
   */
  async upload(principal: Principal, req: Request, _res: Response, key: string | undefined): Promise<WithStatus<DatasetDto>> {
    const upload = await receiveDatasetUpload(req, this.storage, this.config.maxUploadBytes, (id, format) => objectKeys.dataset(principal.tenantId, id, format));
    try {
      const meta = parseDatasetFields(upload.fields);
      const hash = `${meta.name}\n${meta.description ?? ''}\n${upload.object.sha256}`;
      return await this.idempotency.run({ route: 'POST /v1/datasets', key, hash }, async () => {
        const { created, dataset } = await this.register(principal, upload, meta);
        return new WithStatus(created ? 201 : 200, dataset);
      });
    } finally {
      if (!(await this.holds(upload.object.key))) await upload.discard();
    }
  }

  /**
   * Registers an upload already in the store: the same content under the same name is the existing version; new
   * content is the next version. The row is written only once the file is whole.
   */
  async register(principal: Principal, upload: ReceivedDataset, meta: { name: string; description: string | null }): Promise<{ created: boolean; dataset: DatasetDto }> {
    const same = await this.em.findOne(Dataset, { name: meta.name, sha256: upload.object.sha256 }, { orderBy: { version: 'asc' } });
    if (same) return { created: false, dataset: toDatasetDto(same) };
    for (let attempt = 0; ; attempt++) {
      const em = this.em.fork();
      const latest = await em.findOne(Dataset, { name: meta.name }, { orderBy: { version: 'desc' }, fields: ['version'] });
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
        return { created: true, dataset: toDatasetDto(dataset) };
      } catch (err) {
        // Another upload took this version number: look again.
        if (!(err instanceof UniqueConstraintViolationException) || attempt >= 5) throw err;
      }
    }
  }

  /** Whether a dataset row names this object (so it must stay). */
  private async holds(storageKey: string): Promise<boolean> {
    return (await this.em.fork().count(Dataset, { storageKey })) > 0;
  }

  async list(query: PageQuery & { name?: string; archived: boolean }): Promise<Page<DatasetDto>> {
    const page = pageWindow(query);
    const where = { ...(query.name ? { name: query.name } : {}), ...(query.archived ? {} : { archivedAt: null }) };
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

  /**
   * The first rows, bounded in bytes whatever the file: a CSV's first 4 MiB are read (and only its whole records
   * used), cells longer than 1000 characters are cut, and `truncated` says when either happened.
   */
  async preview(id: string, limit: number): Promise<DatasetPreview & { truncated: boolean }> {
    const dataset = await this.get(id);
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
        preview = await mlErrorsAsApiErrors(() => previewDataset(file.path, 'parquet', limit));
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
      return await mlErrorsAsApiErrors(() => previewDataset(path, 'csv', limit));
    } finally {
      await rm(path, { force: true });
    }
  }

  /**
   * Deletes a dataset nothing needs: no model version's lineage names it and no queued or running job reads it.
   * Otherwise 409 DATASET_IN_USE, naming what holds it; archiving hides such a dataset instead.
   */
  async remove(id: string): Promise<void> {
    const dataset = await this.get(id);
    const users = await this.em.find(ModelVersion, { lineage: { datasetId: id } }, { fields: ['name', 'version'], limit: 10 });
    if (users.length) {
      throw new ApiError('DATASET_IN_USE', `model versions were trained on this dataset: ${users.map((m) => `${m.name} v${m.version}`).join(', ')}; delete them, or archive the dataset`, {
        modelVersions: users.map((m) => ({ name: m.name, version: m.version })),
      });
    }
    const readers = await this.em.find(TrainingJob, { datasetId: id, status: { $in: ['queued', 'running'] } }, { fields: ['id'], limit: 10 });
    if (readers.length) {
      throw new ApiError('DATASET_IN_USE', `jobs that have not finished read this dataset: ${readers.map((j) => j.id).join(', ')}`, { jobs: readers.map((j) => j.id) });
    }
    await this.em.removeAndFlush(dataset);
    // The row goes first: a file without a row is swept by retention, a row without its file would fail jobs.
    await this.storage.delete(dataset.storageKey).catch(() => undefined);
  }

  async setArchived(id: string, archived: boolean): Promise<DatasetDto> {
    const dataset = await this.get(id);
    if (archived !== (dataset.archivedAt !== null)) {
      dataset.archivedAt = archived ? new Date() : null;
      await this.em.flush();
    }
    return toDatasetDto(dataset);
  }
}
