import { intOption, parse, positional, printObject, printRows, UsageError, type Context } from '../context';
import { multipartFileBody } from '../multipart';
import { bar, bytes } from '../terminal';

export const DATASETS_USAGE = `trainyard datasets upload <file> --name NAME [--description TEXT]
trainyard datasets list [--name NAME] [--page N] [--page-size N]
trainyard datasets get <id>`;

const COLUMNS = ['id', 'name', 'version', 'format', 'rows', 'sizeBytes', 'createdAt'];

export async function datasets(argv: string[], ctx: Context): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'upload') {
    const { values, positionals } = parse(rest, { name: { type: 'string' }, description: { type: 'string' } });
    const file = positional(positionals, 0, 'file');
    if (!values.name) throw new UsageError('--name is required');
    const started = Date.now();
    const { body, contentType } = await multipartFileBody({ name: values.name, description: values.description }, 'file', file, (sent, total) => {
      const rate = sent / Math.max(0.001, (Date.now() - started) / 1000);
      ctx.term.status(`uploading ${bar(total ? sent / total : 1)} ${bytes(sent)} / ${bytes(total)}  ${bytes(rate)}/s`);
    });
    const dataset = await ctx.api.uploadDataset(body, contentType);
    ctx.term.status(null);
    if (ctx.json) ctx.term.out(JSON.stringify(dataset, null, 2));
    else ctx.term.out(`${dataset.name} v${dataset.version}: ${dataset.rows} rows × ${dataset.columns.length} columns (${bytes(dataset.sizeBytes)})  id ${dataset.id}`);
    return 0;
  }
  if (sub === 'list') {
    const { values } = parse(rest, { name: { type: 'string' }, page: { type: 'string' }, 'page-size': { type: 'string' } });
    const page = await ctx.api.listDatasets({ name: values.name, page: intOption(values.page, 'page'), pageSize: intOption(values['page-size'], 'page-size') });
    printRows(ctx, page.items, COLUMNS, page.total);
    return 0;
  }
  if (sub === 'get') {
    const { positionals } = parse(rest, {});
    const dataset = await ctx.api.getDataset(positional(positionals, 0, 'id'));
    if (ctx.json) printObject(ctx, dataset);
    else {
      printObject(ctx, dataset, COLUMNS);
      ctx.term.out('');
      printRows(ctx, dataset.columns, ['name', 'type', 'nullCount']);
    }
    return 0;
  }
  throw new UsageError(sub ? `unknown datasets command "${sub}"` : 'missing datasets command');
}
