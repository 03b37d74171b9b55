import { Inject, Injectable } from '@nestjs/common';
import type { TrainyardConfig } from '@trainyard/config';
import type { StoredObject } from '@trainyard/contracts';
import { datasetObject } from '@trainyard/db';
import { objectKeys, type Storage } from '@trainyard/storage';
import type { Request, Response } from 'express';
import { mlErrorsAsApiErrors, notFound, validationFailed } from '../common/api-error';
import { zodFieldErrors } from '../common/endpoint.interceptor';
import { CONFIG, STORAGE } from '../config.token';
import { receiveScratchUpload } from '../datasets/dataset-upload';
import { DatasetsService } from '../datasets/datasets.service';
import { BatchPredictRequest } from '../models/models.dto';
import { streamBatchPredictions } from './batch-predict';
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
    let cleanup = async () => undefined as void;
    if (req.is('multipart/form-data')) {
      // The uploaded file goes to a scratch object, removed when the request ends, whatever happens.
      const upload = await receiveScratchUpload(req, this.storage, this.config.maxUploadBytes, objectKeys.scratch());
      cleanup = upload.discard;
      source = upload.object;
      format = upload.format;
      request = { version: upload.fields.version ? Number(upload.fields.version) : undefined, alias: upload.fields.alias };
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
    }
    try {
      const version = await this.predictor.resolve(name, request);
      const { plan, session } = await this.predictor.loaded(version);
      const file = await this.storage.open(source);
      try {
        await mlErrorsAsApiErrors(() => streamBatchPredictions(res, { path: file.path, format }, version, plan, session));
      } finally {
        file.release();
      }
    } finally {
      await cleanup();
    }
  }
}
