import type { ColumnSummary as DatasetColumn } from '@trainyard/contracts';
import type { ColumnProfile, DatasetProfile } from './dataset-profile.dto';

type Row = Record<string, unknown>;

const MAX_BINS = 20;
const TOP_VALUES = 12;
const NUMERIC = new Set(['number', 'integer']);

/**
 * A profile of each column over `sample` (the first rows of the dataset), shaped with arquero: missing and
 * distinct counts, a histogram or the top values, and how the chosen target varies across them. The missing count
 * comes from the whole dataset's column summary.
 */
export async function profileRows(sample: Row[], columns: DatasetColumn[], totalRows: number, targetName: string | null): Promise<DatasetProfile> {
  const aq = await import('arquero');
  const { op } = aq;
  const present = (name: string) => aq.escape((d: Row) => d[name] !== null && d[name] !== undefined);
  // op.distinct would count null as a value; the profile counts present values only.
  const distinctCount = (t: typeof table, name: string) => (t.filter(present(name)).rollup({ d: op.distinct(name) }).object() as { d?: number }).d ?? 0;
  const table = aq.from(sample.map((r) => Object.fromEntries(columns.map((c) => [c.name, c.type === 'datetime' && r[c.name] != null ? String(r[c.name]) : (r[c.name] ?? null)]))));
  const targetColumn = targetName ? columns.find((c) => c.name === targetName) : undefined;
  const kind: 'classification' | 'regression' | null = !targetColumn ? null : NUMERIC.has(targetColumn.type) && distinctCount(table, targetColumn.name) > 20 ? 'regression' : 'classification';

  /** The target per group: mean for regression, class counts for classification. */
  const relation = (grouped: ReturnType<typeof table.groupby>, keys: string[]) => {
    if (!targetColumn || !kind) return new Map<string, number | Record<string, number> | null>();
    const out = new Map<string, number | Record<string, number> | null>();
    if (kind === 'regression') {
      for (const r of grouped.rollup({ t: op.mean(targetColumn.name) }).objects() as Row[]) out.set(key(keys.map((k) => r[k])), (r.t as number) ?? null);
      return out;
    }
    const counts = grouped.groupby([...keys, targetColumn.name]).count().objects() as Row[];
    for (const r of counts) {
      const k = key(keys.map((name) => r[name]));
      const classes = (out.get(k) as Record<string, number> | undefined) ?? {};
      classes[String(r[targetColumn.name])] = r.count as number;
      out.set(k, classes);
    }
    return out;
  };

  const profiles = columns.map((c): ColumnProfile => {
    const valid = table.filter(present(c.name));
    const distinct = distinctCount(table, c.name);
    const base = { name: c.name, type: c.type, missing: c.nullCount, missingRate: totalRows ? c.nullCount / totalRows : 0, distinct, min: null, max: null, mean: null, histogram: null, topValues: null };
    if (valid.numRows() === 0) return base;
    if (NUMERIC.has(c.type) && c.name !== targetName) {
      const stats = valid.rollup({ min: op.min(c.name), max: op.max(c.name), mean: op.mean(c.name) }).object() as { min: number; max: number; mean: number };
      if (distinct > TOP_VALUES) {
        const binned = valid.derive({ x0: aq.bin(c.name, { maxbins: MAX_BINS }), x1: aq.bin(c.name, { maxbins: MAX_BINS, offset: 1 }) });
        const target = relation(binned.groupby('x0'), ['x0']);
        const bins = binned.groupby('x0', 'x1').count().orderby('x0').objects() as { x0: number; x1: number; count: number }[];
        return { ...base, ...stats, histogram: bins.map((b) => ({ ...b, ...(targetColumn ? { target: target.get(key([b.x0])) ?? null } : {}) })) };
      }
      return { ...base, ...stats, topValues: topValues(valid, c.name, relation) };
    }
    return { ...base, topValues: topValues(valid, c.name, relation) };
  });
  return { rows: totalRows, sampledRows: sample.length, target: targetColumn && kind ? { name: targetColumn.name, kind } : null, columns: profiles };

  function topValues(valid: typeof table, name: string, rel: typeof relation) {
    const top = valid.groupby(name).count().orderby(aq.desc('count'), name).slice(0, TOP_VALUES).objects() as Row[];
    const target = rel(valid.groupby(name), [name]);
    return top.map((r) => ({ value: r[name] as string | number | boolean, count: r.count as number, ...(targetColumn ? { target: target.get(key([r[name]])) ?? null } : {}) }));
  }
}

const key = (values: unknown[]) => JSON.stringify(values);
