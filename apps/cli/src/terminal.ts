/** What the output streams can do: bars and colour only on a terminal, and never with NO_COLOR. */
export interface Terminal {
  colour: boolean;
  bars: boolean;
  width: number;
  out(line: string): void;
  err(line: string): void;
  /** Rewrites the status line on stderr (bars only); `null` clears it. */
  status(line: string | null): void;
}

export function detectTerminal(env: NodeJS.ProcessEnv = process.env, forceNoColour = false): Terminal {
  const noColour = forceNoColour || env.NO_COLOR !== undefined;
  const colour = !noColour && Boolean(process.stdout.isTTY);
  const bars = !noColour && Boolean(process.stderr.isTTY);
  let shown = false;
  return {
    colour,
    bars,
    width: process.stderr.columns || 80,
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
      process.stderr.write(line + '\n');
    },
    status(line) {
      if (!bars) return;
      process.stderr.write('\r\x1b[2K' + (line ?? ''));
      shown = line !== null;
    },
  };
}

const CODES = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 } as const;

export function paint(t: Pick<Terminal, 'colour'>, style: keyof typeof CODES, text: string): string {
  return t.colour ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text;
}

/** `[#######.......]  42%` at `width` characters of bar. */
export function bar(fraction: number, width = 30): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/** Bytes as people read them: 1.5 MiB. */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A plain text table: a header row and left-aligned columns, cells cut at 60 characters. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return text.length > 60 ? text.slice(0, 59) + '…' : text;
  };
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)].join('\n');
}
