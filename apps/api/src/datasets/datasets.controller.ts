import { Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint, In, type Input } from '../common/endpoint';
import { archiveDataset, deleteDataset, getDataset, listDatasets, previewDataset, unarchiveDataset, uploadDataset } from './datasets.dto';
import { DatasetsService } from './datasets.service';

@Controller()
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  @Endpoint(uploadDataset)
  upload(@CurrentPrincipal() principal: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response, @In() input: Input<typeof uploadDataset>) {
    return this.datasets.upload(principal, req, res, input.idempotencyKey);
  }

  @Endpoint(listDatasets)
  list(@In() { query }: Input<typeof listDatasets>) {
    return this.datasets.list(query);
  }

  @Endpoint(getDataset)
  get(@In() { params }: Input<typeof getDataset>) {
    return this.datasets.describe(params.id);
  }

  @Endpoint(previewDataset)
  preview(@In() { params, query }: Input<typeof previewDataset>) {
    return this.datasets.preview(params.id, query.limit);
  }

  @Endpoint(deleteDataset)
  remove(@In() { params }: Input<typeof deleteDataset>) {
    return this.datasets.remove(params.id);
  }

  @Endpoint(archiveDataset)
  archive(@In() { params }: Input<typeof archiveDataset>) {
    return this.datasets.setArchived(params.id, true);
  }

  @Endpoint(unarchiveDataset)
  unarchive(@In() { params }: Input<typeof unarchiveDataset>) {
    return this.datasets.setArchived(params.id, false);
  }
}
