import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { notFound, type FieldError } from '../common/api-error';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { parsePage, throwIfInvalid } from '../common/pagination';
import { parseStudyRequest, StudiesService } from './studies.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => notFound('STUDY', 'id') });

function page(query: Record<string, unknown>) {
  const errors: FieldError[] = [];
  const p = parsePage(query, errors);
  throwIfInvalid(errors);
  return p;
}

@ApiTags('studies')
@ApiBearerAuth()
@Controller('v1/studies')
export class StudiesController {
  constructor(
    private readonly studies: StudiesService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @MinRole('trainer')
  @ApiBody({ schema: { type: 'object', required: ['name', 'job', 'searchSpace', 'objective'], properties: { name: { type: 'string' }, job: { type: 'object' }, searchSpace: { type: 'object' }, objective: { type: 'object' }, trials: { type: 'integer' }, parallelism: { type: 'integer' }, sampler: { enum: ['random', 'grid', 'tpe'] }, pruner: { enum: ['none', 'median', 'asha'] }, timeoutSeconds: { type: 'integer' }, seed: { type: 'integer' } } } })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = parseStudyRequest(body);
    const { status, body: study } = await this.idempotency.run(
      { tenantId: principal.tenantId, route: 'POST /v1/studies', key, hash: requestHash(body) },
      async () => ({ status: 201, body: await this.studies.create(principal, request) }),
    );
    res.status(status);
    return study;
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.studies.list(principal, page(query));
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.studies.describe(principal, id);
  }

  @Get(':id/trials')
  trials(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Query() query: Record<string, unknown>) {
    return this.studies.trials(principal, id, page(query));
  }

  @Post(':id/cancel')
  @MinRole('trainer')
  @HttpCode(202)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.studies.cancel(principal, id);
  }
}
