import type { JobStreamEvent, Stage, StudyStreamEvent, TrainingJob } from '@trainyard/client';
import { paint, bar, type Terminal } from './terminal';
import type { Context } from './context';

const RECONNECTS = 5;

/** A job passes every stage in this order; a snapshot can skip a fast one, the printed lines do not. */
const STAGE_ORDER: readonly Stage[] = ['load_features', 'preprocess', 'train', 'evaluate', 'register'];

/** The stages from just after `printed` up to `reached`: what a line-per-stage follower has yet to print. */
export function stagesPassed(printed: string | null, reached: string): string[] {
  const to = STAGE_ORDER.indexOf(reached as Stage);
  if (to < 0) return reached === printed ? [] : [reached];
  const from = printed === null ? -1 : STAGE_ORDER.indexOf(printed as Stage);
  return STAGE_ORDER.slice(from + 1, to + 1);
}

/**
 * Follows a job's live stream: a progress bar with the stage and the latest metrics on a terminal, a line per
 * stage otherwise, log lines on stderr with --logs. Reconnects with Last-Event-ID if the connection drops.
 * Returns the job as it ended.
 */
export async function followJob(ctx: Context, id: string, options: { logs?: boolean } = {}): Promise<TrainingJob> {
  const latest = new Map<string, { step: number; value: number | null }>();
  let stage: string | null = null;
  let progress = 0;
  let lastEventId: string | null = null;
  for (let attempt = 0; ; attempt++) {
    try {
      for await (const e of ctx.api.streamJob(id, { tail: options.logs ? 20 : 1, level: 'info', lastEventId })) {
        lastEventId = e.id ?? lastEventId;
        if (handleJobEvent(ctx.term, e, options, latest, (s, p) => {
          if (s !== stage && !ctx.term.bars && !ctx.json && s) for (const passed of stagesPassed(stage, s)) ctx.term.err(`stage ${passed}`);
          stage = s ?? stage;
          progress = p;
        })) return ctx.api.getJob(id);
        ctx.term.status(`${bar(progress)} ${stage ?? 'queued'}  ${metricSummary(latest)}`);
      }
    } catch (err) {
      if (attempt >= RECONNECTS || (err as Error).name === 'TrainyardApiError') throw err;
      await new Promise((r) => setTimeout(r, 1000 * (attempt + 1)));
      continue;
    }
    // The stream closed without `end` (a proxy or the server restarting): resume where it stopped.
    if (attempt >= RECONNECTS) return ctx.api.getJob(id);
  }
}

/** Applies one event; true when the job has ended. */
function handleJobEvent(
  term: Terminal,
  e: JobStreamEvent,
  options: { logs?: boolean },
  latest: Map<string, { step: number; value: number | null }>,
  onProgress: (stage: string | null, progress: number) => void,
): boolean {
  if (e.event === 'progress') onProgress(e.data.stage, e.data.progress);
  else if (e.event === 'metric') latest.set(e.data.name, { step: e.data.step, value: e.data.value });
  else if (e.event === 'log' && options.logs) term.err(`${paint(term, 'dim', e.data.ts)} ${e.data.level.padEnd(5)} ${e.data.message}`);
  else if (e.event === 'end') {
    term.status(null);
    return true;
  }
  return false;
}

/** `round 42  train.logLoss 0.213  validation.logLoss 0.251`: the newest value of each series. */
export function metricSummary(latest: Map<string, { step: number; value: number | null }>): string {
  if (latest.size === 0) return '';
  const step = Math.max(...[...latest.values()].map((p) => p.step));
  const values = [...latest.entries()]
    .filter(([, p]) => p.step === step)
    .map(([name, p]) => `${name} ${p.value === null ? '-' : Number(p.value.toPrecision(4))}`);
  return `round ${step}  ${values.join('  ')}`;
}

/** Follows a study: trials as they finish, and a bar of trials done with the best value so far. */
export async function followStudy(ctx: Context, id: string): Promise<string> {
  let status = 'running';
  for await (const e of ctx.api.streamStudy(id)) {
    status = describeStudyEvent(ctx, e) ?? status;
    if (e.event === 'end') break;
  }
  ctx.term.status(null);
  return status;
}

function describeStudyEvent(ctx: Context, e: StudyStreamEvent): string | null {
  if (e.event === 'trial' && e.data.status !== 'running' && !ctx.json) {
    ctx.term.err(`trial ${e.data.number} ${e.data.status}${e.data.value === null ? '' : ` value ${Number(e.data.value.toPrecision(5))}`}  ${JSON.stringify(e.data.params)}`);
  } else if (e.event === 'progress') {
    const done = e.data.trialsCompleted + e.data.trialsPruned + e.data.trialsFailed;
    ctx.term.status(`${bar(e.data.progress)} ${done}/${e.data.trials} trials  best ${e.data.best ? `${Number(e.data.best.value.toPrecision(5))} (trial ${e.data.best.number})` : '-'}`);
  } else if (e.event === 'end') return e.data.status;
  return null;
}
