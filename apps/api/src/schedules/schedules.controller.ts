import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { notFound, type FieldError } from '../common/api-error';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { parsePage, throwIfInvalid } from '../common/pagination';
import { SchedulesService } from './schedules.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => notFound('SCHEDULE', 'id') });

@ApiTags('schedules')
@ApiBearerAuth()
@Controller('v1/schedules')
export class SchedulesController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @MinRole('trainer')
  @ApiBody({ schema: { type: 'object', required: ['name', 'job'], properties: { name: { type: 'string' }, cron: { type: 'string', example: '0 3 * * *' }, intervalSeconds: { type: 'integer' }, timezone: { type: 'string', default: 'UTC' }, job: { type: 'object' }, overlap: { type: 'string', default: 'skip' }, promote: { type: 'object', properties: { alias: { type: 'string' }, metric: { type: 'string' }, minImprovement: { type: 'number' } } } } } })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    const input = this.schedules.parse(body);
    const { status, body: created } = await this.idempotency.run(
      { tenantId: principal.tenantId, route: 'POST /v1/schedules', key, hash: requestHash(body) },
      async () => ({ status: 201, body: await this.schedules.create(principal, input) }),
    );
    res.status(status);
    return created;
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    const errors: FieldError[] = [];
    const page = parsePage(query, errors);
    throwIfInvalid(errors);
    return this.schedules.list(principal, page);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.schedules.describe(principal, id);
  }

  @Post(':id/pause')
  @MinRole('trainer')
  @HttpCode(200)
  pause(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.schedules.pause(principal, id, true);
  }

  @Post(':id/resume')
  @MinRole('trainer')
  @HttpCode(200)
  resume(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.schedules.pause(principal, id, false);
  }

  @Post(':id/trigger')
  @MinRole('trainer')
  @HttpCode(202)
  trigger(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.schedules.trigger(principal, id);
  }

  @Delete(':id')
  @MinRole('trainer')
  @HttpCode(204)
  async remove(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    await this.schedules.remove(principal, id);
  }
}
