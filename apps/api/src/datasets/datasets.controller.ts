import { Controller, Delete, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { TrainyardConfig } from '@trainyard/config';
import { objectKeys, type Storage } from '@trainyard/storage';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { notFound, type FieldError } from '../common/api-error';
import { IdempotencyService } from '../common/idempotency.service';
import { intParam, parsePage, throwIfInvalid } from '../common/pagination';
import { CONFIG, STORAGE } from '../config.token';
import { receiveDatasetUpload } from './dataset-upload';
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
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  @Post()
  @MinRole('trainer')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file', 'name'], properties: { file: { type: 'string', format: 'binary' }, name: { type: 'string' }, description: { type: 'string' } } } })
  async upload(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response, @Headers('idempotency-key') key: string | undefined) {
    const upload = await receiveDatasetUpload(req, this.storage, principal.tenantId, this.config.maxUploadBytes, (id, format) => objectKeys.dataset(principal.tenantId, id, format));
    try {
      const meta = parseDatasetFields(upload.fields);
      const hash = `${meta.name}\n${meta.description ?? ''}\n${upload.object.sha256}`;
      const { status, body } = await this.idempotency.run({ tenantId: principal.tenantId, route: 'POST /v1/datasets', key, hash }, async () => {
        const { created, dataset } = await this.datasets.register(principal, upload, meta);
        return { status: created ? 201 : 200, body: dataset };
      });
      res.status(status);
      return body;
    } finally {
      // register() keeps the file only when it made a new version; a replayed or refused request keeps nothing.
      const kept = await this.datasets.holds(upload.object.key);
      if (!kept) await upload.discard();
    }
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
