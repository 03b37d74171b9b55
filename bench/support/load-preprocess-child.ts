/**
 * Run as its own process by the CSV ingest bench: the load-features and preprocess steps of a training job on
 * one CSV (read, encode and split, save the prepared bundle, read it back), with each phase's wall time and the
 * peak RSS once it is done, as JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultValidation } from '@trainyard/contracts';
import { prepareData, readDataset, readPreparedBundle, writePreparedBundle } from '@trainyard/ml';
import { statusBytes } from './proc-status';

export interface LoadPreprocessPhase {
  name: string;
  seconds: number;
  peakRss: number;
}

async function main(): Promise<void> {
  const [path, target] = process.argv.slice(2) as [string, string];
  const dir = await mkdtemp(join(tmpdir(), 'trainyard-load-preprocess-'));
  const phases: LoadPreprocessPhase[] = [];
  const phase = async <T>(name: string, run: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const result = await run();
    phases.push({ name, seconds: (performance.now() - t0) / 1000, peakRss: statusBytes('VmHWM') });
    return result;
  };
  try {
    const startRss = statusBytes('VmRSS');
    const frame = await phase('read CSV', () => readDataset(path, 'csv'));
    const prepared = await phase('encode and split', () =>
      prepareData(frame, { target, features: null, exclude: [], task: 'classification', validation: defaultValidation }),
    );
    // A staged job's preprocess step ends by storing this bundle, and its train step starts by reading it.
    await phase('save prepared', () => writePreparedBundle(prepared, join(dir, 'prepared.bundle')));
    await phase('read prepared', () => readPreparedBundle(join(dir, 'prepared.bundle')));
    console.log(JSON.stringify({ startRss, phases, rows: frame.rowCount, features: prepared.featureNames.length }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
