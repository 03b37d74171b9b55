import { join } from 'node:path';

/** The bundled sample dataset that `npm start` registers. */
export const SAMPLE_CHURN_CSV = join(__dirname, '..', '..', '..', 'scripts', 'sample-data', 'churn.csv');

/** A deterministic PRNG so generated datasets are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small binary classification CSV with a string column, nulls and a date column. */
export function binaryCsv(rows = 400, seed = 1): string {
  const r = rng(seed);
  const lines = ['id,age,income,plan,signup,active,label'];
  for (let i = 0; i < rows; i++) {
    const age = Math.round(18 + r() * 60);
    const income = r() < 0.1 ? '' : (20000 + r() * 80000).toFixed(2);
    const plan = ['basic', 'pro', 'team'][Math.floor(r() * 3)];
    const day = String(1 + Math.floor(r() * 28)).padStart(2, '0');
    const active = r() < 0.5 ? 'true' : 'false';
    const score = (age - 45) / 15 + (plan === 'pro' ? 1 : plan === 'team' ? -1 : 0) + (active === 'true' ? 0.8 : -0.8) + (r() - 0.5) * 1.5;
    lines.push(`c${i},${age},${income},${plan},2024-03-${day},${active},${score > 0 ? 1 : 0}`);
  }
  return lines.join('\n') + '\n';
}

/** Three classes with string labels. */
export function multiclassCsv(rows = 450, seed = 2): string {
  const r = rng(seed);
  const lines = ['x1,x2,color,species'];
  for (let i = 0; i < rows; i++) {
    const cls = i % 3;
    const x1 = (cls * 2 + r() * 2.2).toFixed(3);
    const x2 = (r() * 3 - cls).toFixed(3);
    const color = ['red', 'green', 'blue'][(cls + (r() < 0.2 ? 1 : 0)) % 3];
    lines.push(`${x1},${x2},${color},${['setosa', 'versicolor', 'virginica'][cls]}`);
  }
  return lines.join('\n') + '\n';
}

/** A regression target that depends on numeric and categorical columns. */
export function regressionCsv(rows = 400, seed = 3): string {
  const r = rng(seed);
  const lines = ['rooms,area,city,price'];
  for (let i = 0; i < rows; i++) {
    const rooms = 1 + Math.floor(r() * 6);
    const area = (30 + r() * 170).toFixed(1);
    const city = ['north', 'south', 'east'][Math.floor(r() * 3)];
    const price = 50 + rooms * 20 + Number(area) * 1.5 + (city === 'north' ? 40 : 0) + (r() - 0.5) * 20;
    lines.push(`${rooms},${r() < 0.05 ? '' : area},${city},${price.toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * A daily series in shuffled file order: `y` is made of `x` one and two days earlier, so only lag features can
 * predict it; `noise` is unrelated. Returns the CSV and its rows in time order.
 */
export function laggedSeriesCsv(rows = 360, seed = 4): { csv: string; inTimeOrder: { day: string; x: number; noise: number; y: number }[] } {
  const r = rng(seed);
  const x = Array.from({ length: rows }, () => Number((r() * 10).toFixed(3)));
  const start = Date.UTC(2023, 0, 1);
  const inTimeOrder = x.map((value, i) => ({
    day: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
    x: value,
    noise: Number(r().toFixed(3)),
    y: i < 2 ? NaN : Number((3 * x[i - 1] - x[i - 2] + (r() - 0.5) * 0.2).toFixed(3)),
  }));
  const shuffled = [...inTimeOrder];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const lines = ['day,x,noise,y', ...shuffled.map((row) => `${row.day},${row.x},${row.noise},${Number.isNaN(row.y) ? '' : row.y}`)];
  return { csv: lines.join('\n') + '\n', inTimeOrder };
}

/** Regression where only `a` and `b` matter; `n1`..`n4` are noise. */
export function sparseSignalCsv(rows = 400, seed = 5): string {
  const r = rng(seed);
  const lines = ['a,b,n1,n2,n3,n4,y'];
  for (let i = 0; i < rows; i++) {
    const [a, b, n1, n2, n3, n4] = Array.from({ length: 6 }, () => r() * 4 - 2);
    const y = 3 * a + b * b + (r() - 0.5) * 0.1;
    lines.push([a, b, n1, n2, n3, n4, y].map((v) => v.toFixed(4)).join(','));
  }
  return lines.join('\n') + '\n';
}
