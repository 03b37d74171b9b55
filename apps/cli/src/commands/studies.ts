import { readFile } from 'node:fs/promises';
import { intOption, parse, positional, printObject, printRows, UsageError, type Context } from '../context';
import { followStudy } from '../follow';

export const STUDIES_USAGE = `trainyard studies create --file study.json [--follow]
trainyard studies list [--page N] [--page-size N]
trainyard studies get <id> [--follow]
trainyard studies trials <id>
  --follow shows trials as they finish and the best value so far; the exit code is 0 only when the study completes.`;

const KEYS = ['id', 'name', 'status', 'objective', 'sampler', 'pruner', 'trials', 'trialsCompleted', 'trialsPruned', 'trialsFailed', 'bestTrial', 'createdAt'];

async function followed(ctx: Context, id: string): Promise<number> {
  const status = await followStudy(ctx, id);
  const study = await ctx.api.getStudy(id);
  printObject(ctx, study, ctx.json ? undefined : KEYS);
  return status === 'completed' ? 0 : 1;
}

export async function studies(argv: string[], ctx: Context): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'create': {
      const { values } = parse(rest, { file: { type: 'string' }, follow: { type: 'boolean' } });
      if (!values.file) throw new UsageError('--file study.json is required (the body of POST /v1/studies)');
      const study = await ctx.api.createStudy(JSON.parse(await readFile(values.file, 'utf8')) as Record<string, unknown>);
      if (values.follow) {
        if (!ctx.json) ctx.term.err(`study ${study.id} (${study.name}) started; following`);
        return followed(ctx, study.id);
      }
      printObject(ctx, study, ctx.json ? undefined : ['id', 'name', 'status', 'trials']);
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, { page: { type: 'string' }, 'page-size': { type: 'string' } });
      const page = await ctx.api.listStudies({ page: intOption(values.page, 'page'), pageSize: intOption(values['page-size'], 'page-size') });
      if (ctx.json) ctx.term.out(JSON.stringify(page.items, null, 2));
      else printRows(ctx, page.items.map((s) => ({ ...s, best: s.bestTrial?.value ?? null, metric: s.objective.metric })), ['id', 'name', 'status', 'metric', 'trialsCompleted', 'trials', 'best', 'createdAt'], page.total);
      return 0;
    }
    case 'get': {
      const { values, positionals } = parse(rest, { follow: { type: 'boolean' } });
      const id = positional(positionals, 0, 'id');
      if (values.follow) return followed(ctx, id);
      printObject(ctx, await ctx.api.getStudy(id), ctx.json ? undefined : KEYS);
      return 0;
    }
    case 'trials': {
      const { positionals } = parse(rest, {});
      const page = await ctx.api.listTrials(positional(positionals, 0, 'id'), { pageSize: 100 });
      if (ctx.json) ctx.term.out(JSON.stringify(page.items, null, 2));
      else printRows(ctx, page.items, ['number', 'status', 'value', 'params', 'jobId'], page.total);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown studies command "${sub}"` : 'missing studies command');
  }
}
