import { Injectable } from '@nestjs/common';
import { TERMINAL_STATUSES } from '@trainyard/contracts';
import type { JobLog, LogLevel, TrainingJob } from '@trainyard/db';
import type { Request, Response } from 'express';
import { TrainingJobsService } from './training-jobs.service';

const SSE_POLL_MS = 500;

const logItem = (l: JobLog) => ({ ts: l.ts.toISOString(), level: l.level, stage: l.stage, message: l.message, data: l.data });

/** A job's log as JSON, or with `Accept: text/event-stream` a live stream that ends when the job ends. */
@Injectable()
export class JobLogStream {
  constructor(private readonly jobs: TrainingJobsService) {}

  async respond(req: Request, res: Response, id: string, query: { tail: number; level: LogLevel }): Promise<void> {
    const { tail, level } = query;
    const job: TrainingJob = await this.jobs.get(id);

    if (!(req.get('accept') ?? '').includes('text/event-stream')) {
      res.json({ items: (await this.jobs.logs(job, { tail, level })).map(logItem) });
      return;
    }

    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    let closed = false;
    req.on('close', () => (closed = true));
    let lastId: string | undefined;
    const send = (rows: JobLog[]) => {
      for (const row of rows) {
        res.write(`id: ${row.id}\nevent: log\ndata: ${JSON.stringify(logItem(row))}\n\n`);
        lastId = row.id;
      }
    };
    send(await this.jobs.logs(job, { tail, level }));
    while (!closed) {
      const current = await this.jobs.currentState(job);
      send(await this.jobs.logs(job, { tail: 1000, level, afterId: lastId ?? '0' }));
      if (TERMINAL_STATUSES.includes(current.status)) {
        res.write(`event: end\ndata: ${JSON.stringify({ status: current.status, error: current.error })}\n\n`);
        break;
      }
      await new Promise((r) => setTimeout(r, SSE_POLL_MS));
    }
    res.end();
  }
}
