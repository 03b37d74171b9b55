import { Injectable } from '@nestjs/common';
import type { JobLog, LogLevel, TrainingJob } from '@trainyard/db';
import type { Request, Response } from 'express';
import { JobStreams } from './job-stream';
import { TrainingJobsService } from './training-jobs.service';

const logItem = (l: JobLog) => ({ ts: l.ts.toISOString(), level: l.level, stage: l.stage, message: l.message, data: l.data });

/** A job's log as JSON, or with `Accept: text/event-stream` a live stream that ends when the job ends. */
@Injectable()
export class JobLogStream {
  constructor(
    private readonly jobs: TrainingJobsService,
    private readonly streams: JobStreams,
  ) {}

  async respond(req: Request, res: Response, id: string, query: { tail: number; level: LogLevel }): Promise<void> {
    const { tail, level } = query;
    const job: TrainingJob = await this.jobs.get(id);

    if (!(req.get('accept') ?? '').includes('text/event-stream')) {
      res.json({ items: (await this.jobs.logs(job, { tail, level })).map(logItem) });
      return;
    }

    // Live: log, progress and metric events as they are written, then `end` (one LISTEN connection for every stream).
    await this.streams.serve(job.id, req, res, { tail, level });
  }
}
