import { Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal, type Principal } from '../auth/principal';
import { Endpoint, In, type Input } from '../common/endpoint';
import { ExperimentsService } from '../experiments/experiments.service';
import { JobLogStream } from './job-log-stream';
import { BulkCancelRequest, cancelJob, cancelJobs, compareJobs, createJob, getJob, jobLogs, jobMetrics, listJobs, retryJob } from './training-job.dto';
import { TrainingJobsService } from './training-jobs.service';

@Controller()
export class TrainingJobsController {
  constructor(
    private readonly jobs: TrainingJobsService,
    private readonly experiments: ExperimentsService,
    private readonly logStream: JobLogStream,
  ) {}

  @Endpoint(createJob)
  create(@CurrentPrincipal() principal: Principal, @Req() req: Request, @In() input: Input<typeof createJob>) {
    return this.jobs.submit(principal, input.body, req.body, input.idempotencyKey);
  }

  @Endpoint(listJobs)
  list(@In() { query }: Input<typeof listJobs>) {
    return this.jobs.list(query);
  }

  @Endpoint(compareJobs)
  compare(@In() { query }: Input<typeof compareJobs>) {
    return this.experiments.compare(query.ids);
  }

  @Endpoint(getJob)
  get(@In() { params }: Input<typeof getJob>) {
    return this.jobs.describe(params.id);
  }

  @Endpoint(cancelJobs)
  cancelMany(@CurrentPrincipal() principal: Principal, @In() { body }: Input<typeof cancelJobs>) {
    return this.jobs.cancelMany(principal, body ?? BulkCancelRequest.parse({}));
  }

  @Endpoint(cancelJob)
  cancel(@CurrentPrincipal() principal: Principal, @In() { params }: Input<typeof cancelJob>) {
    return this.jobs.cancel(principal, params.id);
  }

  @Endpoint(retryJob)
  retry(@CurrentPrincipal() principal: Principal, @In() { params, body }: Input<typeof retryJob>) {
    return this.jobs.retry(principal, params.id, body);
  }

  @Endpoint(jobMetrics)
  metrics(@In() { params }: Input<typeof jobMetrics>) {
    return this.jobs.metricSeries(params.id);
  }

  @Endpoint(jobLogs)
  logs(@In() { params, query }: Input<typeof jobLogs>, @Req() req: Request, @Res() res: Response) {
    return this.logStream.respond(req, res, params.id, query);
  }
}
