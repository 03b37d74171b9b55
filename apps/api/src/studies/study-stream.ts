import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import type { StudyObjective, StudyStatus } from '@trainyard/db';
import type { Request, Response } from 'express';
import { FeedRegistry, LiveFeed, SentIds, type FeedSubscriber } from '../live/live-feed';
import { LiveListener } from '../live/live-listener';
import { SseConnection } from '../live/sse-connection';

const READ_LIMIT = 5_000;

interface StudySubscriber extends FeedSubscriber {
  metrics: SentIds;
  /** Each trial's last sent `status|value`. */
  trials: Map<number, string>;
  lastProgress: string | null;
}

interface TrialRow {
  number: number;
  status: string;
  params: Record<string, unknown>;
  value: number | null;
  job_id: string;
}

const eventId = (s: StudySubscriber) => String(s.metrics.newest);

class StudyFeed extends LiveFeed<StudySubscriber> {
  protected async refresh(): Promise<void> {
    const subs = [...this.subscribers];
    if (subs.length === 0) return;
    const db = this.orm.em.fork().getConnection();
    const [study] = await db.execute<{ status: StudyStatus; trials: number; objective: StudyObjective; best_trial: unknown }[]>(
      `select status, trials, objective, best_trial from studies where id = ?`,
      [this.id],
    );
    if (!study) return this.endAll('end', { status: 'deleted', bestTrial: null }, eventId);
    const trials = await db.execute<TrialRow[]>(`select number, status, params, value, job_id from study_trials where study_id = ? order by number`, [this.id]);
    // Intermediate values: each trial's validation series, as its job records them round by round.
    const points = await db.execute<{ id: string; number: number; name: string; step: number; value: number | null }[]>(
      `select p.id, t.number, p.name, p.step, p.value
         from metric_points p join study_trials t on t.job_id = p.job_id
        where t.study_id = ? and p.id > ? and p.name like 'validation.%'
        order by p.id limit ${READ_LIMIT}`,
      [this.id, subs.map((s) => s.metrics.readAfter()).reduce((a, b) => (b < a ? b : a)).toString()],
    );
    const progress = summarize(study, trials);
    const progressKey = JSON.stringify(progress);
    for (const s of subs) {
      for (const t of trials) {
        const key = `${t.status}|${t.value}`;
        if (s.trials.get(t.number) === key) continue;
        s.trials.set(t.number, key);
        s.sse.send('trial', { number: t.number, status: t.status, params: t.params, value: t.value, jobId: t.job_id }, eventId(s));
      }
      for (const p of points) {
        if (!s.metrics.accept(BigInt(p.id))) continue;
        s.sse.send('intermediate', { number: p.number, name: p.name, step: p.step, value: p.value }, eventId(s));
      }
      if (s.lastProgress !== progressKey) {
        s.lastProgress = progressKey;
        s.sse.send('progress', progress, eventId(s));
      }
    }
    if (points.length >= READ_LIMIT) return this.pokeAgain();
    if (study.status !== 'running') this.endAll('end', { status: study.status, bestTrial: study.best_trial ?? null }, eventId);
  }
}

/** The study's counts and best value so far, as the `progress` event carries them. */
function summarize(study: { status: StudyStatus; trials: number; objective: StudyObjective }, trials: TrialRow[]) {
  const count = (status: string) => trials.filter((t) => t.status === status).length;
  const sign = study.objective.direction === 'maximize' ? 1 : -1;
  let best: TrialRow | null = null;
  for (const t of trials) if (t.status === 'completed' && t.value !== null && (!best || sign * t.value > sign * best.value!)) best = t;
  const done = count('completed') + count('pruned') + count('failed');
  return {
    status: study.status,
    progress: study.trials > 0 ? Math.min(1, done / study.trials) : 0,
    trials: study.trials,
    trialsCompleted: count('completed'),
    trialsPruned: count('pruned'),
    trialsFailed: count('failed'),
    trialsRunning: count('running'),
    best: best ? { number: best.number, value: best.value } : null,
  };
}

/**
 * Live study streams (`GET /v1/studies/{id}/events`): `trial` when a trial starts or ends, `intermediate` for each
 * value a trial reports while it trains, `progress` with the counts, and `end`. One feed per study, as for jobs.
 */
@Injectable()
export class StudyStreams {
  private readonly feeds = new FeedRegistry<StudyFeed>();

  constructor(
    private readonly orm: MikroORM,
    private readonly listener: LiveListener,
  ) {}

  /** Streams study `studyId` (tenant already checked): every trial's current state first, then changes. */
  async serve(studyId: string, req: Request, res: Response): Promise<void> {
    const resume = /^\d{1,19}$/.exec(req.get('last-event-id')?.trim() ?? '');
    const sse = new SseConnection(req, res);
    const subscriber: StudySubscriber = { sse, metrics: new SentIds(resume ? BigInt(resume[0]) : 0n), trials: new Map(), lastProgress: null };
    if (!resume) {
      // Earlier intermediate values are in GET …/trials; the stream carries the new ones.
      const [head] = await this.orm.em
        .fork()
        .getConnection()
        .execute<{ id: string }[]>(`select coalesce(max(p.id), 0) as id from metric_points p join study_trials t on t.job_id = p.job_id where t.study_id = ?`, [studyId]);
      subscriber.metrics = new SentIds(BigInt(head.id));
    }
    if (!sse.isOpen) return;
    this.feeds.get(studyId, (onEmpty) => new StudyFeed(this.listener, this.orm, studyId, `study:${studyId}`, onEmpty)).add(subscriber);
  }
}
