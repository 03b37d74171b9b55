import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { EVENT_TYPES, TrainyardEvent } from '@trainyard/db';
import type { Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { ApiError, validationFailed, type FieldError } from '../common/api-error';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { intParam, parsePage, throwIfInvalid } from '../common/pagination';
import { parseWebhook, WebhooksService } from './webhooks.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1')
export class EventsController {
  constructor(
    private readonly em: EntityManager,
    private readonly webhooks: WebhooksService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** Events after `after` (an event id), oldest first, for polling clients. */
  @Get('events')
  async events(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    const errors: FieldError[] = [];
    const limit = intParam(query.limit, 'limit', 100, 1, 1000, errors);
    const type = typeof query.type === 'string' ? query.type : undefined;
    if (type && !EVENT_TYPES.includes(type as never)) errors.push({ field: 'type', message: `one of ${EVENT_TYPES.join(', ')}` });
    throwIfInvalid(errors);
    let afterSeq = '0';
    if (typeof query.after === 'string' && query.after !== '') {
      const anchor = await this.em.findOne(TrainyardEvent, { id: /^[0-9a-f-]{36}$/i.test(query.after) ? query.after : '00000000-0000-0000-0000-000000000000', tenantId: principal.tenantId }, { fields: ['seq'] });
      if (!anchor) throw validationFailed([{ field: 'after', message: 'not an event id of this tenant' }]);
      afterSeq = anchor.seq;
    }
    const items = await this.em.find(
      TrainyardEvent,
      { tenantId: principal.tenantId, seq: { $gt: afterSeq }, ...(type ? { type: type as never } : {}) },
      { orderBy: { seq: 'asc' }, limit },
    );
    return { items: items.map((e) => ({ eventId: e.id, type: e.type, timestamp: e.createdAt.toISOString(), data: e.data })) };
  }

  @Post('webhooks')
  @MinRole('admin')
  @ApiBody({ schema: { type: 'object', required: ['url', 'events', 'secret'], properties: { url: { type: 'string' }, events: { type: 'array', items: { enum: [...EVENT_TYPES] } }, secret: { type: 'string' } } } })
  async createWebhook(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    const input = parseWebhook(body);
    const { status, body: created } = await this.idempotency.run(
      { tenantId: principal.tenantId, route: 'POST /v1/webhooks', key, hash: requestHash(input) },
      async () => ({ status: 201, body: await this.webhooks.create(principal, input) }),
    );
    res.status(status);
    return created;
  }

  @Get('webhooks')
  @MinRole('admin')
  listWebhooks(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    const errors: FieldError[] = [];
    const page = parsePage(query, errors);
    throwIfInvalid(errors);
    return this.webhooks.list(principal, page);
  }

  @Delete('webhooks/:id')
  @MinRole('admin')
  @HttpCode(204)
  async deleteWebhook(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe({ exceptionFactory: () => new ApiError('WEBHOOK_NOT_FOUND', 'webhook not found') })) id: string) {
    await this.webhooks.remove(principal, id);
  }
}
