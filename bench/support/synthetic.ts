import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A HIGGS-shaped binary task: `features` numeric columns, a nonlinear label with noise; written as CSV. */
export async function writeSyntheticBinaryCsv(path: string, rows: number, features = 28, seed = 7): Promise<void> {
  const r = mulberry32(seed);
  const out = createWriteStream(path);
  out.write([...Array.from({ length: features }, (_, i) => `f${i}`), 'label'].join(',') + '\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: features }, () => (r() + r() + r() - 1.5) * 2);
    const z = x[0] * x[1] - x[2] + Math.sin(3 * x[3]) + 0.5 * x[4] * x[4] - 0.7 * x[5] + 0.3 * (x[6] > 0 ? 1 : -1) + (r() - 0.5) * 2;
    buf += x.map((v) => v.toFixed(5)).join(',') + ',' + (z > 0.4 ? 1 : 0) + '\n';
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
