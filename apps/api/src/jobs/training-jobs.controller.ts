import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { LOG_LEVELS, type JobLog, type LogLevel } from '@trainyard/db';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { notFound, type FieldError } from '../common/api-error';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { intParam, parsePage, parseSort, throwIfInvalid } from '../common/pagination';
import { ExperimentsService } from '../experiments/experiments.service';
import { JobStreams } from './job-stream';
import { parseTrainingJobRequest } from './training-job.request';
import { toJobResponse } from './training-job.response';
import { JOB_SORT_FIELDS, TrainingJobsService, type JobFilter } from './training-jobs.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => notFound('JOB', 'id') });

const logItem = (l: JobLog) => ({ ts: l.ts.toISOString(), level: l.level, stage: l.stage, message: l.message, data: l.data });

const JOB_BODY_SCHEMA = {
  type: 'object',
  required: ['datasetId', 'target', 'model'],
  properties: {
    name: { type: 'string' },
    experiment: { type: 'string', default: 'default' },
    datasetId: { type: 'string', format: 'uuid' },
    target: { type: 'string' },
    task: { enum: ['classification', 'regression'] },
    features: { type: 'array', items: { type: 'string' } },
    exclude: { type: 'array', items: { type: 'string' } },
    model: { type: 'object', properties: { type: { enum: ['xgboost', 'lightgbm', 'random_forest', 'linear', 'mlp', 'lstm', 'ensemble'] }, params: { type: 'object' } } },
    validation: { type: 'object' },
    priority: { enum: ['low', 'normal', 'high', 'urgent'] },
    execution: { type: 'object', properties: { device: { enum: ['cpu', 'gpu', 'auto'] }, requireGpu: { type: 'boolean' } } },
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    notes: { type: 'string' },
  },
};

@ApiTags('training-jobs')
@ApiBearerAuth()
@Controller('v1/training-jobs')
export class TrainingJobsController {
  constructor(
    private readonly jobs: TrainingJobsService,
    private readonly idempotency: IdempotencyService,
    private readonly experiments: ExperimentsService,
    private readonly streams: JobStreams,
  ) {}

  @Post()
  @MinRole('trainer')
  @ApiBody({ schema: JOB_BODY_SCHEMA })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = parseTrainingJobRequest(body);
    const { status, body: job } = await this.idempotency.run(
      { tenantId: principal.tenantId, route: 'POST /v1/training-jobs', key, hash: requestHash(body) },
      async () => ({ status: 201, body: await this.jobs.create(principal, request) }),
    );
    res.status(status);
    return job;
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    const errors: FieldError[] = [];
    const page = parsePage(query, errors);
    const sort = parseSort(query.sort, JOB_SORT_FIELDS, '-createdAt', errors);
    const tags: Record<string, string> = {};
    for (const raw of ([] as unknown[]).concat(query.tag ?? [])) {
      const [k, ...rest] = String(raw).split(':');
      if (!k || rest.length === 0) errors.push({ field: 'tag', message: 'must look like key:value' });
      else tags[k] = rest.join(':');
    }
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    throwIfInvalid(errors);
    const filter: JobFilter = { status: str(query.status), experiment: str(query.experiment), name: str(query.name), modelType: str(query.modelType), tags, sort };
    return this.jobs.list(principal, filter, page);
  }

  @Get('compare')
  compare(@CurrentPrincipal() principal: Principal, @Query('ids') raw: unknown) {
    const ids = typeof raw === 'string' ? [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))] : [];
    const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (ids.length < 1 || ids.length > 50 || ids.some((id) => !uuidLike.test(id))) {
      throwIfInvalid([{ field: 'ids', message: 'a comma-separated list of 1 to 50 job ids' }]);
    }
    return this.experiments.compare(principal, ids);
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return toJobResponse(await this.jobs.get(principal, id));
  }

  @Post(':id/cancel')
  @MinRole('trainer')
  @HttpCode(202)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.jobs.cancel(principal, id);
  }

  @Post(':id/retry')
  @MinRole('trainer')
  @HttpCode(201)
  retry(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    return this.jobs.retry(principal, id);
  }

  @Get(':id/metrics')
  async metrics(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string) {
    const job = await this.jobs.get(principal, id);
    return { series: await this.jobs.metricSeries(job.id) };
  }

  /** The job's log as JSON, or with `Accept: text/event-stream` a live stream that ends when the job ends. */
  @Get(':id/logs')
  async logs(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Query() query: Record<string, unknown>, @Req() req: Request, @Res() res: Response) {
    const errors: FieldError[] = [];
    const tail = intParam(query.tail, 'tail', 100, 1, 10_000, errors);
    const level = (query.level ?? 'debug') as LogLevel;
    if (!LOG_LEVELS.includes(level)) errors.push({ field: 'level', message: `must be one of ${LOG_LEVELS.join(', ')}` });
    throwIfInvalid(errors);
    const job = await this.jobs.get(principal, id);

    if (!(req.get('accept') ?? '').includes('text/event-stream')) {
      res.json({ items: (await this.jobs.logs(job.id, { tail, level })).map(logItem) });
      return;
    }

    await this.streams.serve(job.id, req, res, { tail, level });
  }
}
