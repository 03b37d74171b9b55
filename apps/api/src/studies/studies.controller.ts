import { Controller, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint, In, type Input } from '../common/endpoint';
import { cancelStudy, createStudy, getStudy, listStudies, listTrials } from './studies.dto';
import { StudiesService } from './studies.service';

@Controller()
export class StudiesController {
  constructor(private readonly studies: StudiesService) {}

  @Endpoint(createStudy)
  create(@CurrentPrincipal() principal: Principal, @Req() req: Request, @In() input: Input<typeof createStudy>) {
    return this.studies.submit(principal, input.body, req.body, input.idempotencyKey);
  }

  @Endpoint(listStudies)
  list(@In() { query }: Input<typeof listStudies>) {
    return this.studies.list(query);
  }

  @Endpoint(getStudy)
  get(@In() { params }: Input<typeof getStudy>) {
    return this.studies.describe(params.id);
  }

  @Endpoint(listTrials)
  trials(@In() { params, query }: Input<typeof listTrials>) {
    return this.studies.trials(params.id, query);
  }

  @Endpoint(cancelStudy)
  cancel(@In() { params }: Input<typeof cancelStudy>) {
    return this.studies.cancel(params.id);
  }
}
