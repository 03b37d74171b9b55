import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { seededRandom } from '@trainyard/ml';

type Cell = (r: () => number, row: number) => string;

const CITIES = ['Lisbon', 'Porto', 'Berlin', 'Hamburg', 'Lyon', 'Paris', 'Osaka', 'Tokyo', 'Austin', 'Denver', 'Quito', 'Lima'];
const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const day = (r: () => number, from: number, span: number) => new Date(from + Math.floor(r() * span) * 86_400_000).toISOString().slice(0, 10);
const float = (scale: number, nulls: number): Cell => (r) => (r() < nulls ? '' : ((r() - 0.3) * scale).toFixed(4));

/** 30 columns: 6 integer, 12 float (5% empty), 5 string, 4 boolean, 3 date — the column names say which. */
export const MIXED_COLUMNS: [string, Cell][] = [
  ['int_id', (_, row) => String(row)],
  ['int_age', (r) => String(18 + Math.floor(r() * 70))],
  ['int_count', (r) => String(Math.floor(r() * 100_000))],
  ['int_delta', (r) => String(Math.floor((r() - 0.5) * 2_000))],
  ['int_year', (r) => String(1990 + Math.floor(r() * 35))],
  ['int_code', (r) => String(Math.floor(r() * 1e9))],
  ...Array.from({ length: 12 }, (_, i): [string, Cell] => [`float_${i}`, float(10 ** (i % 4), 0.05)]),
  ['str_city', (r) => pick(r, CITIES)],
  ['str_plan', (r) => pick(r, ['basic', 'pro', 'team', 'enterprise'])],
  ['str_segment', (r) => `seg_${Math.floor(r() * 50)}`],
  ['str_user', (r) => `user_${Math.floor(r() * 1e7).toString(36)}`],
  ['str_note', (r) => (r() < 0.1 ? '' : pick(r, ['ok', 'late payment', 'vip', 'churn risk', 'new']))],
  ...Array.from({ length: 4 }, (_, i): [string, Cell] => [`bool_${i}`, (r) => (r() < 0.3 + i * 0.1 ? 'true' : 'false')]),
  ['date_signup', (r) => day(r, Date.UTC(2015, 0, 1), 3650)],
  ['date_last_seen', (r) => day(r, Date.UTC(2023, 0, 1), 700)],
  ['date_birth', (r) => day(r, Date.UTC(1950, 0, 1), 20000)],
];

/** Writes the mixed-type CSV the ingest bench reads; deterministic for a seed. */
export async function writeMixedCsv(path: string, rows: number, seed = 3): Promise<void> {
  const r = seededRandom(seed);
  const out = createWriteStream(path);
  out.write(MIXED_COLUMNS.map(([name]) => name).join(',') + '\n');
  let buf = '';
  for (let row = 0; row < rows; row++) {
    buf += MIXED_COLUMNS.map(([, cell]) => cell(r, row)).join(',') + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
