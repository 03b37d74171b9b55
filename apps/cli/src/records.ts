import { parse as parseCsv } from 'csv-parse/sync';
import type { PredictResponse, SignatureField } from '@trainyard/client';

export type RecordFormat = 'csv' | 'json';

/** A CSV cell as the model's signature types it: numbers and booleans parsed, empty cells missing. */
export function typedCell(raw: string, type: string | undefined): unknown {
  if (raw === '' || raw === 'NA' || raw === 'null') return null;
  if (type === 'number' || type === 'integer') {
    const n = Number(raw);
    return Number.isFinite(n) ? n : raw;
  }
  if (type === 'boolean') return /^(true|1|yes)$/i.test(raw) ? true : /^(false|0|no)$/i.test(raw) ? false : raw;
  return raw;
}

/** Records from CSV (typed by the signature) or JSON (an array, or `{ "records": [...] }`). */
export function readRecords(text: string, format: RecordFormat, inputs: SignatureField[]): Record<string, unknown>[] {
  if (format === 'json') {
    const value = JSON.parse(text) as unknown;
    const records = Array.isArray(value) ? value : (value as { records?: unknown })?.records;
    if (!Array.isArray(records)) throw new Error('JSON input must be an array of records or { "records": [...] }');
    return records as Record<string, unknown>[];
  }
  const types = new Map(inputs.map((i) => [i.name, i.type]));
  const rows = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typedCell(v, types.get(k))])));
}

const csvCell = (v: unknown) => {
  const text = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The input records with their predictions: `label` and `probability_<class>` columns, or `value`. */
export function predictionsCsv(records: Record<string, unknown>[], answer: PredictResponse): string {
  const classes = [...new Set(answer.predictions.flatMap((p) => ('probabilities' in p ? Object.keys(p.probabilities) : [])))];
  const inputColumns = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const regression = answer.predictions.some((p) => 'value' in p);
  const header = [...inputColumns, ...(regression ? ['value'] : ['label', ...classes.map((c) => `probability_${c}`)])];
  const lines = records.map((r, i) => {
    const p = answer.predictions[i];
    const out = regression ? [p && 'value' in p ? p.value : null] : p && 'label' in p ? [p.label, ...classes.map((c) => p.probabilities[c])] : [null, ...classes.map(() => null)];
    return [...inputColumns.map((c) => r[c]), ...out].map(csvCell).join(',');
  });
  return [header.map(csvCell).join(','), ...lines].join('\n') + '\n';
}
