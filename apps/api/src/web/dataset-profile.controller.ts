import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { notFound, type FieldError } from '../common/api-error';
import { intParam, throwIfInvalid } from '../common/pagination';
import { DatasetsService } from '../datasets/datasets.service';
import { profileRows } from './dataset-profile';
import { DatasetProfile } from './dataset-profile.dto';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => notFound('DATASET', 'id') });

/** `GET /v1/datasets/{id}/profile` (additive): the dashboard's per-column profile, computed over the first rows. */
@ApiTags('datasets')
@ApiBearerAuth()
@Controller('v1/datasets')
export class DatasetProfileController {
  constructor(private readonly datasets: DatasetsService) {}

  @Get(':id/profile')
  @ApiOperation({ summary: 'Per-column profile: type, missing, distinct, histogram or top values, and the relation to a chosen target' })
  @ApiQuery({ name: 'target', required: false, description: 'a column whose mean (regression) or class counts are given per bin or value' })
  @ApiOkResponse({ type: DatasetProfile })
  @ApiQuery({ name: 'sampleRows', required: false, description: 'rows profiled, from the top of the file (100 to 50000, default 10000)' })
  async profile(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string, @Query('target') target: unknown, @Query('sampleRows') sampleRows: unknown): Promise<DatasetProfile> {
    const errors: FieldError[] = [];
    const rows = intParam(sampleRows, 'sampleRows', 10_000, 100, 50_000, errors);
    const dataset = await this.datasets.get(principal, id);
    if (target !== undefined && (typeof target !== 'string' || !dataset.columns.some((c) => c.name === target))) errors.push({ field: 'target', message: 'a column of the dataset' });
    throwIfInvalid(errors);
    const sample = await this.datasets.preview(principal, id, rows);
    return profileRows(sample.rows as Record<string, unknown>[], dataset.columns, dataset.rows, (target as string | undefined) ?? null);
  }
}
