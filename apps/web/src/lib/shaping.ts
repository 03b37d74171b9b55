import type { MetricSeries, Trial } from '@trainyard/client';

export interface CurvePoint {
  metric: string;
  split: string;
  step: number;
  value: number;
}

/** `train.logLoss` / `validation.logLoss` series as long rows, one chart per metric with a line per split. */
export function learningCurves(series: MetricSeries['series']): CurvePoint[] {
  const rows: CurvePoint[] = [];
  for (const [name, points] of Object.entries(series)) {
    const dot = name.indexOf('.');
    const split = dot > 0 ? name.slice(0, dot) : 'train';
    const metric = dot > 0 ? name.slice(dot + 1) : name;
    for (const p of points) if (p.value !== null && Number.isFinite(p.value)) rows.push({ metric, split, step: p.step, value: p.value });
  }
  return rows;
}

/** Merges live metric events into series, replacing a step's value when it is reported again. */
export function mergeMetric(series: MetricSeries['series'], events: { name: string; step: number; value: number | null }[]): MetricSeries['series'] {
  if (events.length === 0) return series;
  const next = { ...series };
  for (const e of events) {
    const points = (next[e.name] = [...(next[e.name] ?? [])]);
    const at = points.findIndex((p) => p.step === e.step);
    const point = { step: e.step, value: e.value, ts: new Date().toISOString() };
    if (at >= 0) points[at] = point;
    else if (points.length === 0 || points[points.length - 1]!.step < e.step) points.push(point);
    else points.splice(points.findIndex((p) => p.step > e.step), 0, point);
  }
  return next;
}

/** Each trial in number order with the best objective value so far (completed trials only). */
export function bestSoFar(trials: Pick<Trial, 'number' | 'status' | 'value'>[], direction: 'maximize' | 'minimize') {
  const sign = direction === 'maximize' ? 1 : -1;
  let best: number | null = null;
  return [...trials]
    .sort((a, b) => a.number - b.number)
    .map((t) => {
      if (t.status === 'completed' && t.value !== null && (best === null || sign * t.value > sign * best)) best = t.value;
      return { number: t.number, status: t.status, value: t.value, best };
    });
}

function ranks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

function correlation(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/**
 * How much each parameter matters: |Spearman rank correlation| of the parameter with the objective over completed
 * trials (a categorical parameter ranks its choices by their mean objective), scaled to sum to 1. A quick proxy
 * for optuna's fANOVA importance that needs no model.
 */
export function parameterImportance(trials: Pick<Trial, 'status' | 'value' | 'params'>[]): { param: string; importance: number }[] {
  const done = trials.filter((t) => t.status === 'completed' && t.value !== null);
  if (done.length < 3) return [];
  const names = [...new Set(done.flatMap((t) => Object.keys(t.params)))];
  const raw = names.map((param) => {
    const rows = done.filter((t) => t.params[param] !== undefined && t.params[param] !== null);
    if (rows.length < 3) return { param, importance: 0 };
    let xs: number[];
    if (rows.every((t) => typeof t.params[param] === 'number')) xs = rows.map((t) => t.params[param] as number);
    else {
      const means = new Map<string, number[]>();
      for (const t of rows) (means.get(String(t.params[param])) ?? means.set(String(t.params[param]), []).get(String(t.params[param]))!).push(t.value!);
      const mean = (k: string) => means.get(k)!.reduce((s, v) => s + v, 0) / means.get(k)!.length;
      xs = rows.map((t) => mean(String(t.params[param])));
    }
    return { param, importance: Math.abs(correlation(ranks(xs), ranks(rows.map((t) => t.value!)))) };
  });
  const total = raw.reduce((s, r) => s + r.importance, 0);
  return raw.map((r) => ({ param: r.param, importance: total > 0 ? r.importance / total : 0 })).sort((a, b) => b.importance - a.importance);
}

/** Parallel coordinates rows: each run's params and metric on axes scaled to [0, 1] (categories by their order). */
export function parallelAxes(runs: { id: string; label: string; values: Record<string, unknown> }[], axes: string[]) {
  const rows: { run: string; label: string; axis: string; order: number; raw: string; scaled: number }[] = [];
  axes.forEach((axis, order) => {
    const present = runs.filter((r) => r.values[axis] !== undefined && r.values[axis] !== null);
    const numeric = present.every((r) => typeof r.values[axis] === 'number');
    const categories = numeric ? [] : [...new Set(present.map((r) => String(r.values[axis])))].sort();
    const nums = numeric ? present.map((r) => r.values[axis] as number) : [];
    const lo = Math.min(...nums);
    const hi = Math.max(...nums);
    for (const r of present) {
      const v = r.values[axis];
      const scaled = numeric ? (hi > lo ? ((v as number) - lo) / (hi - lo) : 0.5) : categories.length > 1 ? categories.indexOf(String(v)) / (categories.length - 1) : 0.5;
      rows.push({ run: r.id, label: r.label, axis, order, raw: typeof v === 'number' ? String(Number(v.toPrecision(4))) : String(v), scaled });
    }
  });
  return rows;
}
