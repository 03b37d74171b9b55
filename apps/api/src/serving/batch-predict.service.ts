import { open } from 'node:fs/promises';
import { Inject, Injectable } from '@nestjs/common';
import { dataPath, type TrainyardConfig } from '@trainyard/config';
import { detectFormat } from '@trainyard/ml';
import type { Request, Response } from 'express';
import { notFound, validationFailed } from '../common/api-error';
import { zodFieldErrors } from '../common/endpoint.interceptor';
import { CONFIG } from '../config.token';
import { receiveUpload } from '../datasets/dataset-upload';
import { DatasetsService } from '../datasets/datasets.service';
import { BatchPredictRequest } from '../models/models.dto';
import { streamBatchPredictions } from './batch-predict';
import { PredictService, type ModelSelector } from './predict.service';

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

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
  ) {}

  async respond(name: string, req: Request, res: Response): Promise<void> {
    let source: { path: string; format: 'csv' | 'parquet' };
    let request: ModelSelector;
    let cleanup = async () => undefined as void;
    if (req.is('multipart/form-data')) {
      const upload = await receiveUpload(req, res, this.config.dataDir, this.config.maxUploadBytes);
      cleanup = upload.discard;
      const head = await readHead(upload.tempPath);
      source = { path: upload.tempPath, format: detectFormat(upload.originalName, head) };
      request = { version: upload.fields.version ? Number(upload.fields.version) : undefined, alias: upload.fields.alias };
    } else {
      const parsed = BatchPredictRequest.safeParse(req.body ?? {});
      if (!parsed.success) {
        if (parsed.error.issues.some((i) => i.path[0] === 'datasetId')) throw notFound('DATASET', String((req.body as { datasetId?: unknown } | undefined)?.datasetId));
        throw validationFailed(zodFieldErrors(parsed.error));
      }
      const dataset = await this.datasets.get(parsed.data.datasetId);
      source = { path: dataPath(this.config.dataDir, dataset.storagePath), format: dataset.format };
      request = parsed.data;
    }
    try {
      const version = await this.predictor.resolve(name, request);
      const { plan, session } = await this.predictor.loaded(version);
      await streamBatchPredictions(res, source, version, plan, session);
    } finally {
      await cleanup();
    }
  }
}
