import { MIXED_COLUMNS } from './mixed-csv';
import { runNodeChild, runPeer } from './python-peer';
import { fmt, percentile, report, reportPairedRatio } from './stats';

interface IngestRun {
  seconds: number;
  /** A second read in the same process, the way a long-running service reads its next file. */
  againSeconds: number;
  rows: number;
  cols: number;
  startRss: number;
  peakRss: number;
  types?: Record<string, number>;
}

export interface IngestComparison {
  trainyard: IngestRun;
  polars: IngestRun;
  pandas: IngestRun;
  /** Trainyard / polars time of each repeat, the two read back to back. */
  pairedRatios?: number[];
  /** Medians of the second read in each process, and its paired Trainyard / polars ratios. */
  again?: { trainyard: number; polars: number; pandas: number; pairedRatios: number[] };
}

/**
 * Each reader in a fresh process, so its peak RSS is its own; the sides alternate each repeat and the run with
 * the median time is kept.
 */
export async function compareCsvIngest(path: string, repeats: number): Promise<IngestComparison> {
  const dates = MIXED_COLUMNS.map(([name]) => name).filter((n) => n.startsWith('date_')).join(',');
  const runs: IngestComparison[] = [];
  for (let i = 0; i < repeats; i++) {
    runs.push({
      trainyard: await runNodeChild<IngestRun>('csv-ingest-child', [path]),
      polars: await runPeer<IngestRun>('read_csv.py', ['polars', path]),
      pandas: await runPeer<IngestRun>('read_csv.py', ['pandas', path, dates]),
    });
  }
  const median = (side: 'trainyard' | 'polars' | 'pandas') => {
    const target = percentile(runs.map((r) => r[side].seconds), 50);
    return runs.find((r) => r[side].seconds === target)![side];
  };
  const pairedRatios = runs.map((r) => r.trainyard.seconds / r.polars.seconds);
  const again = (side: 'trainyard' | 'polars' | 'pandas') => percentile(runs.map((r) => r[side].againSeconds), 50);
  return {
    trainyard: median('trainyard'),
    polars: median('polars'),
    pandas: median('pandas'),
    pairedRatios,
    again: { trainyard: again('trainyard'), polars: again('polars'), pandas: again('pandas'), pairedRatios: runs.map((r) => r.trainyard.againSeconds / r.polars.againSeconds) },
  };
}

export function reportCsvIngest(c: IngestComparison): void {
  const mb = (bytes: number) => fmt(bytes / 2 ** 20, 0);
  const { trainyard: t, polars: p, pandas: d } = c;
  report('read time Trainyard / polars / pandas (s)', `${fmt(t.seconds)} / ${fmt(p.seconds)} / ${fmt(d.seconds)}`);
  reportPairedRatio('Trainyard / polars', t.seconds / p.seconds, c.pairedRatios ?? [], '≤ 1.5', 2);
  report('Trainyard / pandas', fmt(t.seconds / d.seconds, 2));
  if (c.again) {
    const a = c.again;
    report('second read in the same process, Trainyard / polars / pandas (s)', `${fmt(a.trainyard)} / ${fmt(a.polars)} / ${fmt(a.pandas)}`);
    reportPairedRatio('second read: Trainyard / polars', a.trainyard / a.polars, a.pairedRatios, '≤ 1.5', 2);
  }
  report('peak RSS Trainyard / polars / pandas (MB)', `${mb(t.peakRss)} / ${mb(p.peakRss)} / ${mb(d.peakRss)}`);
  report('peak − RSS at start, same order (MB)', `${mb(t.peakRss - t.startRss)} / ${mb(p.peakRss - p.startRss)} / ${mb(d.peakRss - d.startRss)}`);
  const types = Object.entries(t.types ?? {}).map(([k, v]) => `${v} ${k}`).join(', ');
  report(`Trainyard types: ${types}`, `${t.rows} × ${t.cols}`);
}
