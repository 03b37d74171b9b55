import { readFile } from 'node:fs/promises';
import type { TrainingJob } from '@trainyard/client';
import { intOption, parse, positional, printObject, printRows, statusColour, UsageError, type Context } from '../context';
import { followJob } from '../follow';
import { paint } from '../terminal';

export const JOBS_USAGE = `trainyard jobs submit (--file job.json | --dataset ID --target COLUMN) [--model TYPE] [--param k=v]...
                      [--name NAME] [--experiment NAME] [--task classification|regression]
                      [--features a,b] [--exclude a,b] [--priority P] [--tag k=v]... [--follow] [--logs]
trainyard jobs list [--status S] [--experiment E] [--name N] [--model-type T] [--page N] [--page-size N]
trainyard jobs get <id> [--follow]
trainyard jobs cancel <id>
trainyard jobs retry <id> [--follow]
trainyard jobs logs <id> [--tail N] [--level debug|info|warn|error] [--follow]
  --follow shows a live progress bar, the stage and the latest metrics; the exit code is 0 only when the job completes.`;

const LIST_COLUMNS = ['id', 'name', 'status', 'stage', 'progress', 'model', 'durationSeconds', 'createdAt'];
const GET_KEYS = ['id', 'name', 'experiment', 'status', 'stage', 'progress', 'model', 'datasetId', 'target', 'task', 'device', 'metrics', 'error', 'modelVersion', 'retryOf', 'workflowId', 'createdAt', 'durationSeconds'];

/** A `--param` value: JSON when it parses (numbers, booleans, arrays), else the text. */
function paramValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function pairs(list: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${flag} takes key=value, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const csvList = (value: string | undefined) => (value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean));

const listRow = (j: TrainingJob) => ({ ...j, model: j.model.type, progress: `${Math.round(j.progress * 100)}%` });

/** Prints how a followed job ended and turns it into the exit code: 0 only for completed. */
function finish(ctx: Context, job: TrainingJob): number {
  if (ctx.json) ctx.term.out(JSON.stringify(job, null, 2));
  else {
    const outcome = paint(ctx.term, statusColour(job.status), job.status);
    const detail = job.error ? `: ${job.error.code}: ${job.error.message}` : job.modelVersion ? ` → ${job.modelVersion.name} v${job.modelVersion.version}` : '';
    ctx.term.out(`job ${job.id} ${outcome}${detail}`);
    if (job.metrics) ctx.term.out(Object.entries(job.metrics).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${Number((v as number).toPrecision(4))}`).join('  '));
  }
  return job.status === 'completed' ? 0 : 1;
}

async function submitBody(values: Record<string, string | boolean | string[] | undefined>): Promise<Record<string, unknown>> {
  const fromFile = typeof values.file === 'string' ? (JSON.parse(await readFile(values.file, 'utf8')) as Record<string, unknown>) : {};
  const params = Object.fromEntries(Object.entries(pairs(values.param as string[] | undefined, 'param')).map(([k, v]) => [k, paramValue(v)]));
  const fileModel = (fromFile.model ?? {}) as { type?: string; params?: Record<string, unknown> };
  const body: Record<string, unknown> = {
    ...fromFile,
    ...(values.dataset ? { datasetId: values.dataset } : {}),
    ...(values.target ? { target: values.target } : {}),
    ...(values.name ? { name: values.name } : {}),
    ...(values.experiment ? { experiment: values.experiment } : {}),
    ...(values.task ? { task: values.task } : {}),
    ...(values.priority ? { priority: values.priority } : {}),
    ...(values.features ? { features: csvList(values.features as string) } : {}),
    ...(values.exclude ? { exclude: csvList(values.exclude as string) } : {}),
    model: { ...fileModel, type: (values.model as string | undefined) ?? fileModel.type ?? 'xgboost', params: { ...(fileModel.params ?? {}), ...params } },
  };
  const tags = pairs(values.tag as string[] | undefined, 'tag');
  if (Object.keys(tags).length) body.tags = { ...((fromFile.tags as Record<string, string>) ?? {}), ...tags };
  if (!body.datasetId || !body.target) throw new UsageError('a job needs --dataset and --target (or a --file with datasetId and target)');
  return body;
}

export async function jobs(argv: string[], ctx: Context): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'submit': {
      const { values } = parse(rest, {
        file: { type: 'string' },
        dataset: { type: 'string' },
        target: { type: 'string' },
        model: { type: 'string' },
        param: { type: 'string', multiple: true },
        name: { type: 'string' },
        experiment: { type: 'string' },
        task: { type: 'string' },
        features: { type: 'string' },
        exclude: { type: 'string' },
        priority: { type: 'string' },
        tag: { type: 'string', multiple: true },
        follow: { type: 'boolean' },
        logs: { type: 'boolean' },
      });
      const job = await ctx.api.createJob(await submitBody(values));
      if (!values.follow) {
        printObject(ctx, job, ['id', 'name', 'status', 'workflowId']);
        return 0;
      }
      if (!ctx.json) ctx.term.err(`job ${job.id} (${job.name}) queued; following`);
      return finish(ctx, await followJob(ctx, job.id, { logs: values.logs }));
    }
    case 'list': {
      const { values } = parse(rest, { status: { type: 'string' }, experiment: { type: 'string' }, name: { type: 'string' }, 'model-type': { type: 'string' }, page: { type: 'string' }, 'page-size': { type: 'string' } });
      const page = await ctx.api.listJobs({
        status: values.status,
        experiment: values.experiment,
        name: values.name,
        modelType: values['model-type'],
        page: intOption(values.page, 'page'),
        pageSize: intOption(values['page-size'], 'page-size'),
      });
      if (ctx.json) ctx.term.out(JSON.stringify(page.items, null, 2));
      else printRows(ctx, page.items.map(listRow), LIST_COLUMNS, page.total);
      return 0;
    }
    case 'get': {
      const { values, positionals } = parse(rest, { follow: { type: 'boolean' }, logs: { type: 'boolean' } });
      const id = positional(positionals, 0, 'id');
      if (values.follow) return finish(ctx, await followJob(ctx, id, { logs: values.logs }));
      const job = await ctx.api.getJob(id);
      printObject(ctx, ctx.json ? job : { ...job, model: `${job.model.type} ${JSON.stringify(job.model.params)}` }, ctx.json ? undefined : GET_KEYS);
      return 0;
    }
    case 'cancel': {
      const { positionals } = parse(rest, {});
      const job = await ctx.api.cancelJob(positional(positionals, 0, 'id'));
      printObject(ctx, job, ['id', 'status']);
      return 0;
    }
    case 'retry': {
      const { values, positionals } = parse(rest, { follow: { type: 'boolean' }, logs: { type: 'boolean' } });
      const job = await ctx.api.retryJob(positional(positionals, 0, 'id'));
      if (values.follow) return finish(ctx, await followJob(ctx, job.id, { logs: values.logs }));
      printObject(ctx, job, ['id', 'status', 'retryOf']);
      return 0;
    }
    case 'logs': {
      const { values, positionals } = parse(rest, { tail: { type: 'string' }, level: { type: 'string' }, follow: { type: 'boolean' } });
      const id = positional(positionals, 0, 'id');
      if (values.follow) {
        for await (const e of ctx.api.streamJob(id, { tail: intOption(values.tail, 'tail'), level: values.level })) {
          if (e.event === 'log') ctx.term.out(ctx.json ? JSON.stringify(e.data) : `${e.data.ts} ${e.data.level.padEnd(5)} ${e.data.stage ?? '-'} ${e.data.message}`);
          if (e.event === 'end') return e.data.status === 'completed' ? 0 : 1;
        }
        return 1;
      }
      const { items } = await ctx.api.jobLogs(id, { tail: intOption(values.tail, 'tail'), level: values.level });
      if (ctx.json) ctx.term.out(JSON.stringify(items, null, 2));
      else for (const l of items) ctx.term.out(`${l.ts} ${l.level.padEnd(5)} ${l.stage ?? '-'} ${l.message}`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown jobs command "${sub}"` : 'missing jobs command');
  }
}
