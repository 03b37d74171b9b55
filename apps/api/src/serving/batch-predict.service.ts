import { Inject, Injectable } from '@nestjs/common';
import type { TrainyardConfig } from '@trainyard/config';
import type { StoredObject } from '@trainyard/contracts';
import { datasetObject, type ModelVersion } from '@trainyard/db';
import { timeBound, type PreprocessPlan } from '@trainyard/ml';
import { objectKeys, type Storage } from '@trainyard/storage';
import type { Request, Response } from 'express';
import { mlErrorsAsApiErrors, notFound, validationFailed } from '../common/api-error';
import { zodFieldErrors } from '../common/endpoint.interceptor';
import { CONFIG, STORAGE } from '../config.token';
import { receiveScratchUpload } from '../datasets/dataset-upload';
import { DatasetsService } from '../datasets/datasets.service';
import { BatchPredictRequest } from '../models/models.dto';
import { streamBatchPredictions, type RowRange } from './batch-predict';
import { PredictService, type ModelSelector } from './predict.service';

/**
 * Scores a whole file and streams predictions back as CSV: an upload (multipart `file`, with optional `version`
 * or `alias` fields) or a dataset named in JSON `{ "datasetId", "version"?, "alias"? }`.
 */
@Injectable()
export class BatchPredictService {
  constructor(
    private readonly predictor: PredictService,
    private readonly datasets: DatasetsService,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  async respond(name: string, req: Request, res: Response): Promise<void> {
    let source: StoredObject;
    let format: 'csv' | 'parquet';
    let request: ModelSelector;
    let range: { from?: string | number | null; to?: string | number | null } | undefined;
    let cleanup = async () => undefined as void;
    if (req.is('multipart/form-data')) {
      // The uploaded file goes to a scratch object, removed when the request ends, whatever happens.
      const upload = await receiveScratchUpload(req, this.storage, this.config.maxUploadBytes, objectKeys.scratch());
      cleanup = upload.discard;
      source = upload.object;
      format = upload.format;
      request = { version: upload.fields.version ? Number(upload.fields.version) : undefined, alias: upload.fields.alias };
      if (upload.fields.from || upload.fields.to) range = { from: upload.fields.from || null, to: upload.fields.to || null };
    } else {
      const parsed = BatchPredictRequest.safeParse(req.body ?? {});
      if (!parsed.success) {
        if (parsed.error.issues.some((i) => i.path[0] === 'datasetId')) throw notFound('DATASET', String((req.body as { datasetId?: unknown } | undefined)?.datasetId));
        throw validationFailed(zodFieldErrors(parsed.error));
      }
      const dataset = await this.datasets.get(parsed.data.datasetId);
      source = datasetObject(dataset);
      format = dataset.format;
      request = parsed.data;
      range = parsed.data.dataRange;
    }
    try {
      const version = await this.predictor.resolve(name, request);
      const { plan, session } = await this.predictor.loaded(version);
      const rows = range ? rowRange(version, plan, range) : null;
      const file = await this.storage.open(source);
      try {
        await mlErrorsAsApiErrors(() => streamBatchPredictions(res, { path: file.path, format }, version, plan, session, rows));
      } finally {
        file.release();
      }
    } finally {
      await cleanup();
    }
  }
}

/** The requested time range on the model's time column, as comparable numbers; a 400 when either side is unreadable or the model has no time column. */
function rowRange(version: ModelVersion, plan: PreprocessPlan, range: { from?: string | number | null; to?: string | number | null }): RowRange {
  const timeColumn = plan.forecast?.timeColumn ?? plan.timeColumn ?? version.lineage.dataRange?.timeColumn;
  if (!timeColumn) throw validationFailed([{ field: 'dataRange', message: `${version.name} v${version.version} was trained without a time column; a time range needs one` }]);
  const bound = (side: 'from' | 'to', open: number) => {
    try {
      return timeBound(range[side] ?? null, open);
    } catch {
      throw validationFailed([{ field: `dataRange.${side}`, message: 'must be an ISO-8601 date-time or a number' }]);
    }
  };
  const rows = { timeColumn, from: bound('from', -Infinity), to: bound('to', Infinity) };
  if (rows.from > rows.to) throw validationFailed([{ field: 'dataRange.to', message: 'must not be before from' }]);
  return rows;
}
