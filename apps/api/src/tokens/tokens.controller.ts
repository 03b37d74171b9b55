import { Body, Controller, Delete, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { MinRole } from '../auth/roles.decorator';
import { notFound } from '../common/api-error';
import { IdempotencyService, requestHash } from '../common/idempotency.service';
import { parsePage, throwIfInvalid } from '../common/pagination';
import { parseCreateToken, TokensService } from './tokens.service';

@ApiTags('tokens')
@ApiBearerAuth()
@MinRole('admin')
@Controller('v1/tokens')
export class TokensController {
  constructor(
    private readonly tokens: TokensService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post()
  @ApiBody({ schema: { type: 'object', required: ['name', 'role'], properties: { name: { type: 'string' }, role: { enum: ['admin', 'trainer', 'viewer'] } } } })
  async create(@CurrentPrincipal() principal: Principal, @Body() body: unknown, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    const input = parseCreateToken(body);
    const { status, body: created } = await this.idempotency.run(
      { tenantId: principal.tenantId, route: 'POST /v1/tokens', key, hash: requestHash(input) },
      async () => ({ status: 201, body: await this.tokens.create(principal, input) }),
      // The secret is never kept: a replay answers with the token's metadata only.
      ({ token: _secret, ...rest }) => ({ ...rest, token: null }),
    );
    res.status(status);
    return created;
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    const errors: { field: string; message: string }[] = [];
    const page = parsePage(query, errors);
    throwIfInvalid(errors);
    return this.tokens.list(principal, page);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe({ exceptionFactory: () => notFound('TOKEN', 'id') })) id: string) {
    await this.tokens.revoke(principal, id);
  }
}
