import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { open } from 'node:fs/promises';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { dataPath, type TrainyardConfig } from '@trainyard/config';
import { detectFormat } from '@trainyard/ml';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { ApiError, notFound, type FieldError } from '../common/api-error';
import { parsePage, throwIfInvalid } from '../common/pagination';
import { PredictService, type PredictRequest } from '../serving/predict.service';
import { ModelsService } from './models.service';
import { receiveUpload } from '../datasets/dataset-upload';
import { DatasetsService } from '../datasets/datasets.service';
import { streamBatchPredictions } from '../serving/batch-predict';
import { CONFIG } from '../config.token';

function versionNumber(raw: string, name: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw notFound('MODEL', `${name} v${raw}`);
  return n;
}

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

function page(query: Record<string, unknown>) {
  const errors: FieldError[] = [];
  const p = parsePage(query, errors);
  throwIfInvalid(errors);
  return p;
}

@ApiTags('models')
@ApiBearerAuth()
@Controller('v1/models')
export class ModelsController {
  constructor(
    private readonly models: ModelsService,
    private readonly predictor: PredictService,
    private readonly datasets: DatasetsService,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
  ) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.models.list(principal, page(query));
  }

  @Get(':name')
  get(@CurrentPrincipal() principal: Principal, @Param('name') name: string) {
    return this.models.get(principal, name);
  }

  @Get(':name/versions')
  versions(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Query() query: Record<string, unknown>) {
    return this.models.versions(principal, name, page(query));
  }

  @Get(':name/versions/:version')
  version(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('version') version: string) {
    return this.models.versionResponse(principal, name, versionNumber(version, name));
  }

  /** The ONNX file; gzip-compressed on the wire when the client accepts it, with its sha256 to verify. */
  @Get(':name/versions/:version/artifact')
  async artifact(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('version') version: string, @Req() req: Request, @Res() res: Response) {
    const v = await this.models.version(principal, name, versionNumber(version, name));
    const gzip = /\bgzip\b/.test(req.get('accept-encoding') ?? '');
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Disposition', `attachment; filename="${encodeURIComponent(name)}-v${v.version}.onnx"`);
    res.setHeader('X-Content-SHA256', v.sha256);
    res.setHeader('Digest', `sha-256=${Buffer.from(v.sha256, 'hex').toString('base64')}`);
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    else res.setHeader('Content-Length', String(v.sizeBytes));
    const file = createReadStream(this.models.artifactFile(v));
    await (gzip ? pipeline(file, createGzip(), res) : pipeline(file, res));
  }

  @Post(':name/predict')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', required: ['records'], properties: { version: { type: 'integer' }, alias: { type: 'string' }, records: { type: 'array', items: { type: 'object' } } } } })
  predict(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Body() body: PredictRequest) {
    return this.predictor.predict(principal, name, body ?? {});
  }

  /**
   * Scores a whole file and streams predictions back as CSV: upload it (multipart `file`, with optional `version`
   * or `alias` fields) or name a dataset in JSON `{ "datasetId", "version"?, "alias"? }`.
   */
  @Post(':name/batch-predict')
  async batchPredict(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Req() req: Request, @Res() res: Response) {
    let source: { path: string; format: 'csv' | 'parquet' };
    let request: PredictRequest;
    let cleanup = async () => undefined as void;
    if (req.is('multipart/form-data')) {
      const upload = await receiveUpload(req, res, this.config.dataDir, this.config.maxUploadBytes);
      cleanup = upload.discard;
      const head = await readHead(upload.tempPath);
      source = { path: upload.tempPath, format: detectFormat(upload.originalName, head) };
      request = { version: upload.fields.version ? Number(upload.fields.version) : undefined, alias: upload.fields.alias };
    } else {
      const body = (req.body ?? {}) as PredictRequest & { datasetId?: unknown };
      const dataset = typeof body.datasetId === 'string' ? await this.datasets.get(principal, body.datasetId).catch(() => null) : null;
      if (!dataset) throw notFound('DATASET', String(body.datasetId));
      source = { path: dataPath(this.config.dataDir, dataset.storagePath), format: dataset.format };
      request = body;
    }
    try {
      const version = await this.predictor.resolve(principal, name, request);
      const { plan, session } = await this.predictor.loaded(version);
      await streamBatchPredictions(res, source, version, plan, session);
    } finally {
      await cleanup();
    }
  }

  @Get(':name/alias-events')
  aliasEvents(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Query() query: Record<string, unknown>) {
    return this.models.aliasEvents(principal, name, page(query));
  }

  @Put(':name/aliases/:alias')
  @MinRole('trainer')
  @ApiBody({ schema: { type: 'object', required: ['version'], properties: { version: { type: 'integer' } } } })
  setAlias(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('alias') alias: string, @Body() body: unknown) {
    return this.models.setAlias(principal, name, alias, body);
  }

  @Delete(':name/aliases/:alias')
  @MinRole('trainer')
  @HttpCode(204)
  async deleteAlias(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('alias') alias: string) {
    await this.models.deleteAlias(principal, name, alias);
  }
}
