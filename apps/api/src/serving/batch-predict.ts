import type { Response } from 'express';
import type { InferenceSession } from 'onnxruntime-node';
import type { ModelVersion } from '@trainyard/db';
import { lookback, rawInputFeeds, recordBatches, timeBound, type PreprocessPlan } from '@trainyard/ml';
import { validationFailed } from '../common/api-error';

const BATCH_ROWS = 5000;

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Scores a dataset file batch by batch and streams the predictions as CSV (`row` is the 0-based data row);
 * the file is never held in memory whole, and the response waits for the client when it reads slowly.
 */
export async function streamBatchPredictions(
  res: Response,
  file: { path: string; format: 'csv' | 'parquet' },
  version: ModelVersion,
  plan: PreprocessPlan,
  session: InferenceSession,
  range: RowRange | null = null,
): Promise<number> {
  const { columns, batches } = await recordBatches(file.path, file.format, BATCH_ROWS);
  const needed = [...version.signature.inputs.map((i) => i.name), ...(range && !version.signature.inputs.some((i) => i.name === range.timeColumn) ? [range.timeColumn] : [])];
  const missing = needed.filter((name) => !columns.includes(name));
  if (missing.length) throw validationFailed(missing.map((name) => ({ field: `file.${name}`, message: name === range?.timeColumn ? 'the time range is on this column' : 'the model needs this column' })));
  const kept = range ? inRange(range) : () => true;

  const labels = version.signature.classLabels ?? [];
  const classification = version.task === 'classification';
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${encodeURIComponent(version.name)}-v${version.version}-predictions.csv"`);
  res.setHeader('X-Model-Version', `${version.name}:${version.version}`);
  if (plan.forecast) res.setHeader('X-Forecast-Horizon', String(plan.forecast.horizon));
  const header = classification ? ['row', 'label', ...labels.map((l) => `p_${l}`)] : ['row', 'value'];
  res.write(header.map(csvCell).join(',') + '\n');

  const history = Math.max(0, ...(plan.timeFeatures ?? []).map(lookback));
  let carried: Record<string, unknown>[] = [];
  let row = 0;
  for await (const batch of batches) {
    // The previous chunk's last rows go first, so lag and rolling features see the history one batch would give them.
    const scored = carried.length > 0 ? [...carried, ...batch] : batch;
    const skip = carried.length;
    carried = history > 0 ? scored.slice(-history) : [];
    const out = await session.run(rawInputFeeds(plan, scored));
    let chunk = '';
    if (classification) {
      const p = out.probabilities.data as Float32Array;
      const k = p.length / scored.length;
      for (let i = skip; i < scored.length; i++, row++) {
        if (!kept(scored[i])) continue;
        let best = 0;
        for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
        chunk += `${row},${csvCell(labels[best] ?? String(best))}`;
        for (let c = 0; c < k; c++) chunk += `,${p[i * k + c]}`;
        chunk += '\n';
      }
    } else {
      const v = out.variable.data as Float32Array;
      for (let i = skip; i < scored.length; i++, row++) if (kept(scored[i])) chunk += `${row},${v[i]}\n`;
    }
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
  return row;
}

/** Rows whose time column value lies in [from, to]: bounds as numbers (epoch ms for date-times). */
export interface RowRange {
  timeColumn: string;
  from: number;
  to: number;
}

/** Whether a record's time is in the range; a record without a readable time is not. */
function inRange(range: RowRange): (record: Record<string, unknown>) => boolean {
  return (record) => {
    const value = record[range.timeColumn];
    if (value === null || value === undefined || value === '') return false;
    let t: number;
    try {
      t = timeBound(typeof value === 'number' ? value : String(value), NaN);
    } catch {
      return false;
    }
    return t >= range.from && t <= range.to;
  };
}
