import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { TERMINAL_STATUSES, type JobStatus } from '@trainyard/contracts';
import { LOG_LEVELS, type LogLevel } from '@trainyard/db';
import type { Request, Response } from 'express';
import { FeedRegistry, LiveFeed, SentIds, type FeedSubscriber } from '../live/live-feed';
import { LiveListener } from '../live/live-listener';
import { SseConnection } from '../live/sse-connection';

/** Rows read per table per refresh; a feed that hits it reads again at once instead of ending the stream early. */
const READ_LIMIT = 2_000;
/**
 * The outcome is recorded a moment before its closing log line ("job completed: …"); a stream that sees a job end
 * reads once more after this long, so that line is sent before `end`.
 */
const END_GRACE_MS = 300;

interface JobSubscriber extends FeedSubscriber {
  minLevel: number;
  logs: SentIds;
  metrics: SentIds;
  lastProgress: string | null;
}

interface LogRow {
  id: string;
  ts: Date;
  level: LogLevel;
  stage: string | null;
  message: string;
  data: Record<string, unknown> | null;
}

/** An event id holds both cursors, so `Last-Event-ID` resumes logs and metrics where the client stopped. */
const eventId = (s: JobSubscriber) => `${s.logs.newest}-${s.metrics.newest}`;

export function parseJobEventId(raw: string | undefined): { logCursor: bigint; metricCursor: bigint } | null {
  const m = /^(\d{1,19})-(\d{1,19})$/.exec(raw?.trim() ?? '');
  return m ? { logCursor: BigInt(m[1]), metricCursor: BigInt(m[2]) } : null;
}

const minOf = (values: bigint[]) => values.reduce((a, b) => (b < a ? b : a)).toString();

class JobFeed extends LiveFeed<JobSubscriber> {
  protected async refresh(): Promise<void> {
    const subs = [...this.subscribers];
    if (subs.length === 0) return;
    const db = this.orm.em.fork().getConnection();
    // The state is read before the rows, so every line written before the job ended is sent before `end`.
    const [state] = await db.execute<{ status: JobStatus; stage: string | null; progress: number; error: unknown; ended_ms: number | null }[]>(
      `select status, stage, progress, error, extract(epoch from now() - completed_at) * 1000 as ended_ms from training_jobs where id = ?`,
      [this.id],
    );
    if (!state) return this.endAll('end', { status: 'deleted', error: null }, eventId);
    const logs = await db.execute<LogRow[]>(
      `select id, ts, level, stage, message, data from job_logs where job_id = ? and id > ? order by id limit ${READ_LIMIT}`,
      [this.id, minOf(subs.map((s) => s.logs.readAfter()))],
    );
    const metrics = await db.execute<{ id: string; name: string; step: number; value: number | null }[]>(
      `select id, name, step, value from metric_points where job_id = ? and id > ? order by id limit ${READ_LIMIT}`,
      [this.id, minOf(subs.map((s) => s.metrics.readAfter()))],
    );
    const progress = { progress: state.progress, stage: state.stage, status: state.status };
    const progressKey = JSON.stringify(progress);
    for (const s of subs) {
      for (const row of logs) {
        if (!s.logs.accept(BigInt(row.id))) continue;
        if (LOG_LEVELS.indexOf(row.level) >= s.minLevel) s.sse.send('log', logItem(row), eventId(s));
      }
      for (const row of metrics) {
        if (!s.metrics.accept(BigInt(row.id))) continue;
        s.sse.send('metric', { name: row.name, step: row.step, value: row.value }, eventId(s));
      }
      if (s.lastProgress !== progressKey) {
        s.lastProgress = progressKey;
        s.sse.send('progress', progress, eventId(s));
      }
    }
    const caughtUp = logs.length < READ_LIMIT && metrics.length < READ_LIMIT;
    if (!caughtUp) return this.pokeAgain();
    if (!TERMINAL_STATUSES.includes(state.status)) return;
    const endedMs = Number(state.ended_ms ?? END_GRACE_MS);
    if (endedMs < END_GRACE_MS) return this.readAgainIn(END_GRACE_MS - endedMs);
    this.endAll('end', { status: state.status, error: state.error ?? null }, eventId);
  }
}

export function logItem(row: LogRow) {
  return { ts: new Date(row.ts).toISOString(), level: row.level, stage: row.stage, message: row.message, data: row.data };
}

/**
 * Live job streams: one feed per job, shared by all of its open streams, woken by the writers' notices
 * (LiveListener) rather than by polling. Callers check the tenant before calling `serve`.
 */
@Injectable()
export class JobStreams {
  private readonly feeds = new FeedRegistry<JobFeed>();

  constructor(
    private readonly orm: MikroORM,
    private readonly listener: LiveListener,
  ) {}

  /**
   * Streams job `jobId` on `res`: the last `tail` log lines at `level` or above (or, with `Last-Event-ID`, everything
   * after that event), then `log`, `metric` and `progress` events as they happen, and a final `end`.
   */
  async serve(jobId: string, req: Request, res: Response, options: { tail: number; level: LogLevel }): Promise<void> {
    const minLevel = LOG_LEVELS.indexOf(options.level);
    const resume = parseJobEventId(req.get('last-event-id'));
    const sse = new SseConnection(req, res);
    const subscriber: JobSubscriber = { sse, minLevel, logs: new SentIds(resume?.logCursor ?? 0n), metrics: new SentIds(resume?.metricCursor ?? 0n), lastProgress: null };
    if (!resume) await this.catchUp(jobId, subscriber, options.tail);
    if (!sse.isOpen) return;
    this.feeds.get(jobId, (onEmpty) => new JobFeed(this.listener, this.orm, jobId, `job:${jobId}`, onEmpty)).add(subscriber);
  }

  /** Sends the log tail and starts both cursors at the newest rows: earlier metric points are in `GET …/metrics`. */
  private async catchUp(jobId: string, s: JobSubscriber, tail: number): Promise<void> {
    const db = this.orm.em.fork().getConnection();
    const [heads] = await db.execute<{ log: string; metric: string }[]>(
      `select (select coalesce(max(id), 0) from job_logs where job_id = ?) as log,
              (select coalesce(max(id), 0) from metric_points where job_id = ?) as metric`,
      [jobId, jobId],
    );
    const rows = await db.execute<LogRow[]>(
      `select id, ts, level, stage, message, data from job_logs
        where job_id = ? and id <= ? and level in (${LOG_LEVELS.slice(s.minLevel).map(() => '?').join(', ')})
        order by id desc limit ?`,
      [jobId, heads.log, ...LOG_LEVELS.slice(s.minLevel), tail],
    );
    s.logs = new SentIds(BigInt(heads.log));
    s.metrics = new SentIds(BigInt(heads.metric));
    for (const row of rows.reverse()) s.sse.send('log', logItem(row), eventId(s));
  }
}
