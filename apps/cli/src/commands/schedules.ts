import { intOption, parse, positional, printObject, printRows, UsageError, type Context } from '../context';

export const SCHEDULES_USAGE = `trainyard schedules list [--page N] [--page-size N]
trainyard schedules get <id>           with its next runs and recent jobs
trainyard schedules pause <id>
trainyard schedules resume <id>
trainyard schedules trigger <id>`;

export async function schedules(argv: string[], ctx: Context): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { page: { type: 'string' }, 'page-size': { type: 'string' } });
  switch (sub) {
    case 'list': {
      const page = await ctx.api.listSchedules({ page: intOption(values.page, 'page'), pageSize: intOption(values['page-size'], 'page-size') });
      if (ctx.json) ctx.term.out(JSON.stringify(page.items, null, 2));
      else printRows(ctx, page.items.map((s) => ({ ...s, when: s.cron ? `${s.cron} ${s.timezone}` : `every ${s.intervalSeconds}s`, state: s.paused ? 'paused' : 'active' })), ['id', 'name', 'when', 'state', 'createdAt'], page.total);
      return 0;
    }
    case 'get': {
      const s = await ctx.api.getSchedule(positional(positionals, 0, 'id'));
      if (ctx.json) return (ctx.term.out(JSON.stringify(s, null, 2)), 0);
      printObject(ctx, { ...s, state: s.paused ? 'paused' : 'active', nextRuns: s.nextRuns.join(', ') }, ['id', 'name', 'cron', 'intervalSeconds', 'timezone', 'state', 'overlap', 'promote', 'nextRuns']);
      ctx.term.out('');
      printRows(ctx, s.recentJobs.map((j) => ({ ...j, model: j.modelVersion ? `${j.modelVersion.name} v${j.modelVersion.version}` : '' })), ['id', 'status', 'model', 'createdAt']);
      return 0;
    }
    case 'pause':
    case 'resume':
    case 'trigger': {
      const id = positional(positionals, 0, 'id');
      const result = sub === 'pause' ? await ctx.api.pauseSchedule(id) : sub === 'resume' ? await ctx.api.resumeSchedule(id) : await ctx.api.triggerSchedule(id);
      if (ctx.json) ctx.term.out(JSON.stringify(result ?? { id, done: sub }, null, 2));
      else ctx.term.out(`schedule ${id}: ${sub === 'trigger' ? 'triggered' : sub === 'pause' ? 'paused' : 'resumed'}`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown schedules command "${sub}"` : 'missing schedules command');
  }
}
