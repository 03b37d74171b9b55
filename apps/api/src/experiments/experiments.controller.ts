import { Controller } from '@nestjs/common';
import { Endpoint, In, type Input } from '../common/endpoint';
import { listExperiments } from './experiments.dto';
import { ExperimentsService } from './experiments.service';

@Controller()
export class ExperimentsController {
  constructor(private readonly experiments: ExperimentsService) {}

  @Endpoint(listExperiments)
  list(@In() { query }: Input<typeof listExperiments>) {
    return this.experiments.list(query);
  }
}
