import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { intOption, parse, positional, printObject, printRows, UsageError, type Context } from '../context';
import { predictionsCsv, readRecords, type RecordFormat } from '../records';

export const MODELS_USAGE = `trainyard models list [--page N] [--page-size N]
trainyard models get <name>                         versions and aliases
trainyard models promote <name> <version> [--alias production]
trainyard models predict <name> --input FILE|- [--format csv|json] [--output FILE] [--output-format csv|json]
                         [--version N | --alias A]
  CSV input is typed by the model's signature; the output defaults to the input's format.`;

async function readInput(path: string): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

function format(value: string | undefined, fallback: RecordFormat): RecordFormat {
  if (value === undefined) return fallback;
  if (value !== 'csv' && value !== 'json') throw new UsageError(`formats are csv and json, got "${value}"`);
  return value;
}

export async function models(argv: string[], ctx: Context): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list': {
      const { values } = parse(rest, { page: { type: 'string' }, 'page-size': { type: 'string' } });
      const page = await ctx.api.listModels({ page: intOption(values.page, 'page'), pageSize: intOption(values['page-size'], 'page-size') });
      if (ctx.json) ctx.term.out(JSON.stringify(page.items, null, 2));
      else printRows(ctx, page.items.map((m) => ({ ...m, aliases: Object.entries(m.aliases).map(([a, v]) => `${a}→v${v}`).join(' ') })), ['name', 'task', 'modelType', 'latestVersion', 'aliases', 'updatedAt'], page.total);
      return 0;
    }
    case 'get': {
      const { positionals } = parse(rest, {});
      const name = positional(positionals, 0, 'name');
      const [model, versions] = await Promise.all([ctx.api.getModel(name), ctx.api.listVersions(name, { pageSize: 100 })]);
      if (ctx.json) ctx.term.out(JSON.stringify({ ...model, versions: versions.items }, null, 2));
      else {
        printObject(ctx, model, ['name', 'task', 'latestVersion', 'aliases', 'updatedAt']);
        ctx.term.out('');
        printRows(ctx, versions.items.map((v) => ({ ...v, aliases: v.aliases.join(' '), metrics: headline(v.metrics) })), ['version', 'modelType', 'aliases', 'metrics', 'createdAt'], versions.total);
      }
      return 0;
    }
    case 'promote': {
      const { values, positionals } = parse(rest, { alias: { type: 'string' } });
      const name = positional(positionals, 0, 'name');
      const version = intOption(positional(positionals, 1, 'version'), 'version')!;
      const moved = await ctx.api.setAlias(name, values.alias ?? 'production', version);
      if (ctx.json) ctx.term.out(JSON.stringify(moved, null, 2));
      else ctx.term.out(`${moved.name}: ${moved.alias} → v${moved.version}${moved.previousVersion ? ` (was v${moved.previousVersion})` : ''}`);
      return 0;
    }
    case 'predict': {
      const { values, positionals } = parse(rest, {
        input: { type: 'string', short: 'i' },
        format: { type: 'string' },
        output: { type: 'string', short: 'o' },
        'output-format': { type: 'string' },
        version: { type: 'string' },
        alias: { type: 'string' },
      });
      const name = positional(positionals, 0, 'name');
      if (!values.input) throw new UsageError('--input FILE (or - for stdin) is required');
      const inFormat = format(values.format, extname(values.input).toLowerCase() === '.json' ? 'json' : 'csv');
      const outFormat = format(values['output-format'], values.output ? (extname(values.output).toLowerCase() === '.json' ? 'json' : extname(values.output).toLowerCase() === '.csv' ? 'csv' : inFormat) : inFormat);
      const version = intOption(values.version, 'version');
      const signature = inFormat === 'csv' ? (await ctx.api.getVersion(name, version ?? (await servingVersion(ctx, name, values.alias)))).signature.inputs : [];
      const records = readRecords(await readInput(values.input), inFormat, signature);
      const answer = await ctx.api.predict(name, { records, ...(version !== undefined ? { version } : {}), ...(values.alias ? { alias: values.alias } : {}) });
      const text = outFormat === 'csv' && !ctx.json ? predictionsCsv(records, answer) : JSON.stringify(answer, null, 2) + '\n';
      if (values.output) await writeFile(values.output, text);
      else process.stdout.write(text);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown models command "${sub}"` : 'missing models command');
  }
}

/** The version a prediction without `version` goes to: the alias asked for, else `production`, else the newest. */
async function servingVersion(ctx: Context, name: string, alias: string | undefined): Promise<number> {
  const model = await ctx.api.getModel(name);
  if (alias) {
    if (model.aliases[alias] === undefined) throw new UsageError(`model ${name} has no alias ${alias}`);
    return model.aliases[alias];
  }
  return model.aliases.production ?? model.latestVersion;
}

function headline(metrics: Record<string, unknown> | null): string {
  if (!metrics) return '';
  return ['rocAuc', 'accuracy', 'f1', 'rmse', 'mae', 'r2']
    .filter((k) => typeof metrics[k] === 'number')
    .slice(0, 3)
    .map((k) => `${k} ${Number((metrics[k] as number).toPrecision(4))}`)
    .join(' ');
}
