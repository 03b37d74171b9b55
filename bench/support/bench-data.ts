import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@trainyard/ml';

type Row = (r: () => number, row: number) => string;

/**
 * A generated CSV, kept between runs: files are named by generator, rows and seed, so a second run of a bench (or
 * another bench on the same shape) skips the generation. BENCH_DATA_DIR sets the folder (default: the OS temp dir).
 */
export async function benchCsv(name: string, rows: number, header: string[], row: Row, seed = 7): Promise<{ path: string; bytes: number }> {
  const dir = process.env.BENCH_DATA_DIR ?? join(tmpdir(), 'trainyard-bench-data');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}-${rows}-s${seed}.csv`);
  if (!existsSync(path)) {
    const partial = `${path}.${process.pid}.partial`;
    const r = seededRandom(seed);
    const out = createWriteStream(partial);
    out.write(header.join(',') + '\n');
    let buf = '';
    for (let i = 0; i < rows; i++) {
      buf += row(r, i) + '\n';
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
    out.end(buf);
    await once(out, 'finish');
    await rename(partial, path);
  }
  return { path, bytes: (await stat(path)).size };
}

const PLANS = ['basic', 'pro', 'team', 'enterprise', 'trial'];
const REGIONS = Array.from({ length: 40 }, (_, i) => `region_${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`);

/**
 * The time-to-model shape: 28 float columns and 2 categorical string columns (`plan`, 5 values; `region`, 40), and
 * a binary `label` that depends on both kinds.
 */
export function modelCsv(rows: number, seed = 7): Promise<{ path: string; bytes: number }> {
  const header = [...Array.from({ length: 28 }, (_, i) => `f${i}`), 'plan', 'region', 'label'];
  return benchCsv('model-28f-2c', rows, header, (r) => {
    const x = Array.from({ length: 28 }, () => (r() + r() + r() - 1.5) * 2);
    const plan = Math.floor(r() * PLANS.length);
    const region = Math.floor(r() * REGIONS.length);
    const z = x[0]! * x[1]! - x[2]! + Math.sin(3 * x[3]!) + 0.5 * x[4]! * x[4]! - 0.7 * x[5]! + 0.3 * (plan - 2) + (region % 7 === 0 ? 0.6 : 0) + (r() - 0.5) * 2;
    return `${x.map((v) => v.toFixed(5)).join(',')},${PLANS[plan]},${REGIONS[region]},${z > 0.4 ? 1 : 0}`;
  }, seed);
}

/** The numeric upload shape: `columns` - 1 float features and a binary label. */
export function numericCsv(rows: number, columns = 30, seed = 7): Promise<{ path: string; bytes: number }> {
  const features = columns - 1;
  const header = [...Array.from({ length: features }, (_, i) => `f${i}`), 'label'];
  return benchCsv(`numeric-${columns}`, rows, header, (r) => {
    const x = Array.from({ length: features }, () => (r() + r() + r() - 1.5) * 2);
    const z = x[0]! * x[1]! - x[2]! + Math.sin(3 * x[3]!) + (r() - 0.5) * 2;
    return `${x.map((v) => v.toFixed(5)).join(',')},${z > 0.4 ? 1 : 0}`;
  }, seed);
}

const HEX = '0123456789abcdef';
const hex = (r: () => number, n: number) => Array.from({ length: n }, () => HEX[Math.floor(r() * 16)]).join('');
const DOMAINS = ['example.com', 'mail.test', 'corp.example', 'shop.test', 'uni.example'];
const CITIES = ['Lisbon', 'Porto', 'Berlin', 'Hamburg', 'Lyon', 'Paris', 'Osaka', 'Tokyo', 'Austin', 'Denver', 'Quito', 'Lima'];

/**
 * The string-heavy upload shape, 12 columns: 4 high-cardinality strings (a user id, an e-mail, a URL path, a
 * session hash: nearly every value distinct), 2 low-cardinality strings, 4 floats, an integer and a binary label.
 */
export function stringHeavyCsv(rows: number, seed = 7): Promise<{ path: string; bytes: number }> {
  const header = ['user_id', 'email', 'page', 'session', 'city', 'plan', 'amount', 'score', 'ratio', 'latency_ms', 'visits', 'label'];
  return benchCsv('strings-12', rows, header, (r, row) => {
    const user = `u${(row * 7919 + Math.floor(r() * 1e6)).toString(36)}`;
    const email = `${user}.${hex(r, 4)}@${DOMAINS[Math.floor(r() * DOMAINS.length)]}`;
    const page = `/shop/${hex(r, 6)}/item-${Math.floor(r() * 1e7)}`;
    const numbers = [(r() * 500).toFixed(2), (r() * 2 - 1).toFixed(4), r().toFixed(4), (5 + r() * 400).toFixed(1)];
    return `${user},${email},${page},${hex(r, 16)},${CITIES[Math.floor(r() * CITIES.length)]},${PLANS[Math.floor(r() * PLANS.length)]},${numbers.join(',')},${Math.floor(r() * 50)},${r() < 0.3 ? 1 : 0}`;
  }, seed);
}
