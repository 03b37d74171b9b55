import { seededRandom } from '@trainyard/ml';

export type RawRecord = Record<string, number | string | null>;

const PLANS = ['basic', 'pro', 'team', 'enterprise'];
const CITIES = ['Lisbon', 'Porto', 'Berlin', 'Hamburg', 'Lyon', 'Paris', 'Osaka', 'Tokyo', 'Austin', 'Denver', 'Quito', 'Lima'];

/** A binary task with `numeric` number columns (x3 2% empty) and two string columns, as CSV and as the raw records a client would send. */
export function servingDataset(rows: number, numeric = 20, seed = 11): { csv: string; records: RawRecord[] } {
  const r = seededRandom(seed);
  const header = [...Array.from({ length: numeric }, (_, i) => `x${i}`), 'plan', 'city', 'label'];
  const lines = [header.join(',')];
  const records: RawRecord[] = [];
  for (let row = 0; row < rows; row++) {
    // Rounded once, so the CSV and the records carry exactly the same values.
    const x = Array.from({ length: numeric }, () => Number(((r() + r() + r() - 1.5) * 2).toFixed(4)));
    const planIndex = Math.floor(r() * PLANS.length);
    const city = CITIES[Math.floor(r() * CITIES.length)]!;
    const missing = r() < 0.02;
    const z = x[0]! * x[1]! - x[2]! + Math.sin(3 * x[3]!) + 0.4 * planIndex - (city.length > 5 ? 0.5 : 0) + (r() - 0.5) * 2;
    const record: RawRecord = { plan: PLANS[planIndex]!, city };
    x.forEach((v, i) => (record[`x${i}`] = i === 3 && missing ? null : v));
    records.push(record);
    lines.push([...x.map((v, i) => (i === 3 && missing ? '' : String(v))), record.plan, city, z > 0.3 ? 1 : 0].join(','));
  }
  return { csv: lines.join('\n') + '\n', records };
}
