import { Controller, Get, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/postgresql';
import { Study } from '@trainyard/db';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { notFound } from '../common/api-error';
import { StudyStreams } from './study-stream';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => notFound('STUDY', 'id') });

@ApiTags('studies')
@ApiBearerAuth()
@Controller('v1/studies')
export class StudyEventsController {
  constructor(
    private readonly em: EntityManager,
    private readonly streams: StudyStreams,
  ) {}

  /** A live stream of the study's trials; another tenant's study is a 404 before anything is streamed. */
  @Get(':id/events')
  @ApiOperation({ summary: 'Live study events (text/event-stream): trial, intermediate, progress, end' })
  @ApiProduces('text/event-stream')
  async events(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const study = await this.em.findOne(Study, { id, tenantId: principal.tenantId }, { fields: ['id'] });
    if (!study) throw notFound('STUDY', id);
    await this.streams.serve(study.id, req, res);
  }
}
