import { Controller, Delete, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { TrainyardConfig } from '@trainyard/config';
import { sha256File } from '@trainyard/ml';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { notFound, type FieldError } from '../common/api-error';
import { IdempotencyService } from '../common/idempotency.service';
import { intParam, parsePage, throwIfInvalid } from '../common/pagination';
import { CONFIG } from '../config.token';
import { receiveUpload } from './dataset-upload';
import { DatasetsService, parseDatasetFields, toDatasetResponse } from './datasets.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => notFound('DATASET', 'id') });

@ApiTags('datasets')
@ApiBearerAuth()
@Controller('v1/datasets')
export class DatasetsController {
  constructor(
    private readonly datasets: DatasetsService,
    private readonly idempotency: IdempotencyService,
    @Inject(CONFIG) private readonly config: TrainyardConfig,
  ) {}

  @Post()
  @MinRole('trainer')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file', 'name'], properties: { file: { type: 'string', format: 'binary' }, name: { type: 'string' }, description: { type: 'string' } } } })
  async upload(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response, @Headers('idempotency-key') key: string | undefined) {
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
    const { status, body } = await this.idempotency.run({ tenantId: principal.tenantId, route: 'POST /v1/datasets', key, hash }, async () => {
      const { created, dataset } = await this.datasets.register(principal, upload, sha256, meta);
      return { status: created ? 201 : 200, body: dataset };
    });
    if (status === 200) await upload.discard();
    res.status(status);
    return body;
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    const errors: FieldError[] = [];
    const page = parsePage(query, errors);
    throwIfInvalid(errors);
    return this.datasets.list(principal, { name: typeof query.name === 'string' ? query.name : undefined }, page);
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return toDatasetResponse(await this.datasets.get(principal, id));
  }

  @Get(':id/preview')
  preview(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Query('limit') limit: unknown) {
    const errors: FieldError[] = [];
    const n = intParam(limit, 'limit', 20, 1, 1000, errors);
    throwIfInvalid(errors);
    return this.datasets.preview(principal, id, n);
  }

  @Delete(':id')
  @MinRole('trainer')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    await this.datasets.remove(principal, id);
  }
}
