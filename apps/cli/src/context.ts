import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { TrainyardApi } from '@trainyard/client';
import { paint, table, type Terminal } from './terminal';

/** What every command gets: the API client, the terminal, and whether to print JSON for scripts. */
export interface Context {
  api: TrainyardApi;
  term: Terminal;
  json: boolean;
  url: string;
  env: NodeJS.ProcessEnv;
}

/** A mistake in the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  url: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'no-color': { type: 'boolean' },
} as const satisfies Options;

/** Parses a command's own options (plus the global ones); unknown options are usage errors. */
export function parse<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The positional argument at `index`, or a usage error naming it. */
export function positional(positionals: string[], index: number, name: string): string {
  const value = positionals[index];
  if (!value) throw new UsageError(`missing <${name}>`);
  return value;
}

export function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--${name} must be an integer, got "${value}"`);
  return n;
}

/** Prints a value as JSON (scripts) or as a table of `columns` (people). */
export function printRows(ctx: Context, rows: Record<string, unknown>[], columns: string[], total?: number): void {
  if (ctx.json) return ctx.term.out(JSON.stringify(rows, null, 2));
  if (rows.length === 0) return ctx.term.out(paint(ctx.term, 'dim', '(none)'));
  ctx.term.out(table(rows, columns));
  if (total !== undefined && total > rows.length) ctx.term.out(paint(ctx.term, 'dim', `${rows.length} of ${total}; use --page / --page-size for more`));
}

/** Prints one object: JSON, or `key  value` lines for people. */
export function printObject(ctx: Context, value: Record<string, unknown>, keys?: string[]): void {
  if (ctx.json) return ctx.term.out(JSON.stringify(value, null, 2));
  const shown = keys ?? Object.keys(value);
  const width = Math.max(...shown.map((k) => k.length));
  for (const k of shown) {
    const v = value[k];
    const text = v === null || v === undefined ? paint(ctx.term, 'dim', '-') : typeof v === 'object' ? JSON.stringify(v) : String(v);
    ctx.term.out(`${paint(ctx.term, 'bold', k.padEnd(width))}  ${text}`);
  }
}

export function statusColour(status: string): 'green' | 'red' | 'yellow' | 'cyan' {
  return status === 'completed' ? 'green' : status === 'failed' ? 'red' : status === 'cancelled' ? 'yellow' : 'cyan';
}
