import { Controller } from '@nestjs/common';
import { validationFailed } from '../common/api-error';
import { Endpoint, In, type Input } from '../common/endpoint';
import { DatasetsService } from '../datasets/datasets.service';
import { profileRows } from './dataset-profile';
import { profileDataset, type DatasetProfile } from './dataset-profile.dto';

@Controller()
export class DatasetProfileController {
  constructor(private readonly datasets: DatasetsService) {}

  @Endpoint(profileDataset)
  async profile(@In() { params, query }: Input<typeof profileDataset>): Promise<DatasetProfile> {
    const dataset = await this.datasets.get(params.id);
    if (query.target !== undefined && !dataset.columns.some((c) => c.name === query.target)) throw validationFailed([{ field: 'target', message: 'a column of the dataset' }]);
    const sample = await this.datasets.preview(params.id, query.sampleRows);
    return profileRows(sample.rows, dataset.columns, dataset.rows, query.target ?? null);
  }
}
