import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import type { FieldError } from '../common/api-error';
import { parsePage, throwIfInvalid } from '../common/pagination';
import { ExperimentsService } from './experiments.service';

@ApiTags('experiments')
@ApiBearerAuth()
@Controller('v1/experiments')
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    const errors: FieldError[] = [];
    const page = parsePage(query, errors);
    throwIfInvalid(errors);
    return this.experiments.list(principal, page);
  }
}
