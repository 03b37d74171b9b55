import { type Frame, type FrameColumn, stringColumn } from '../data/frame';
import { seededRandom } from './seeded-random';

export const SYNTHETIC_TARGETS = ['churned', 'tier', 'spend'] as const;

const PLANS = ['basic', 'pro', 'enterprise', 'trial'];
const CITIES = Array.from({ length: 15 }, (_, i) => `city-${i}`);
/** 1950-01-01 .. 2030-01-01, so dates straddle the epoch and several leap days. */
const FROM_MS = Date.UTC(1950, 0, 1);
const TO_MS = Date.UTC(2030, 0, 1);

/**
 * A deterministic raw table of every column type, with missing values in each feature: `amount` (number),
 * `visits` (integer), `active` (boolean), `plan` and `city` (text, with null and ""), `signup` (datetime), and three
 * targets computed from the complete row: `churned` (yes/no), `tier` (a/b/c) and `spend` (number).
 */
export function syntheticRawFrame(rows: number, seed: number): Frame {
  const random = seededRandom(seed);
  const missing = (rate: number) => random() < rate;
  const amount = new Float64Array(rows);
  const visits = new Float64Array(rows);
  const active = new Float64Array(rows);
  const signup = new Float64Array(rows);
  const plan: (string | null)[] = [];
  const city: (string | null)[] = [];
  const churned: string[] = [];
  const tier: string[] = [];
  const spend = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const a = Math.exp(random() * 6);
    const v = Math.floor(random() * 40);
    const on = random() < 0.6 ? 1 : 0;
    const p = PLANS[Math.floor(random() * random() * PLANS.length)];
    const c = CITIES[Math.floor(random() * CITIES.length)];
    const t = Math.floor(FROM_MS + random() * (TO_MS - FROM_MS));
    const score = Math.log(a) / 3 + (p === 'pro' ? 1 : p === 'enterprise' ? 1.5 : 0) - on + v / 40 + (t < 0 ? 0.7 : 0) + random();
    churned.push(score > 1.6 ? 'yes' : 'no');
    tier.push(score < 1.2 ? 'a' : score < 2.2 ? 'b' : 'c');
    spend[r] = score + Number(c.slice(5)) / 50;
    amount[r] = missing(0.1) ? NaN : a;
    visits[r] = missing(0.05) ? NaN : v;
    active[r] = missing(0.1) ? NaN : on;
    signup[r] = missing(0.1) ? NaN : t;
    plan.push(missing(0.08) ? null : missing(0.03) ? '' : p);
    city.push(missing(0.05) ? null : c);
  }
  const num = (name: string, type: 'number' | 'integer' | 'boolean' | 'datetime', values: Float64Array): FrameColumn => ({
    name,
    type,
    nullCount: values.filter(Number.isNaN).length,
    values,
  });
  const text = (name: string, values: (string | null)[]): FrameColumn => stringColumn(name, values);
  return {
    rowCount: rows,
    columns: [
      num('amount', 'number', amount),
      num('visits', 'integer', visits),
      num('active', 'boolean', active),
      text('plan', plan),
      text('city', city),
      num('signup', 'datetime', signup),
      text('churned', churned),
      text('tier', tier),
      num('spend', 'number', spend),
    ],
  };
}
