import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MlError } from '../errors';
import type { Matrix } from '../matrix';
import type { PreparedData } from './prepared-data';
import type { PreprocessPlan } from './preprocess-plan';

/** Everything in PreparedData that is not a matrix or the plan. */
interface PreparedManifest {
  version: 1;
  task: PreparedData['task'];
  featureNames: string[];
  classLabels: string[] | null;
  droppedRows: number;
  matrices: Record<'train' | 'validation' | 'test', { rows: number; cols: number } | null>;
  /** Set when each `<split>.bin` ends with float32 sample weights. */
  weighted?: boolean;
  classWeights?: number[];
  classDistribution?: PreparedData['classDistribution'];
  /** Set when rows.bin holds the frame row of each train, validation and test row (int32, in that order). */
  frameRows?: boolean;
}

const SPLITS = ['train', 'validation', 'test'] as const;

/** Writes plan.json, prepared.json and one `<split>.bin` (float32 features, labels, then any weights) per split. */
export async function savePrepared(p: PreparedData, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest: PreparedManifest = {
    version: 1,
    task: p.task,
    featureNames: p.featureNames,
    classLabels: p.classLabels,
    droppedRows: p.droppedRows,
    matrices: { train: shape(p.train), validation: shape(p.validation), test: shape(p.test) },
  };
  if (p.train.weights) manifest.weighted = true;
  if (p.classWeights) manifest.classWeights = p.classWeights;
  if (p.classDistribution) manifest.classDistribution = p.classDistribution;
  for (const split of SPLITS) {
    const m = p[split];
    if (!m) continue;
    const parts = [bytes(m.data), bytes(m.labels)];
    if (m.weights) parts.push(bytes(m.weights));
    await writeFile(join(dir, `${split}.bin`), Buffer.concat(parts));
  }
  if (p.frameRows) {
    manifest.frameRows = true;
    await writeFile(join(dir, 'rows.bin'), Buffer.concat(SPLITS.map((split) => bytes(p.frameRows![split]))));
  }
  await writeFile(join(dir, 'plan.json'), JSON.stringify(p.plan, null, 2));
  // Written last: its presence marks a complete directory.
  await writeFile(join(dir, 'prepared.json'), JSON.stringify(manifest, null, 2));
}

export async function loadPrepared(dir: string): Promise<PreparedData> {
  const manifest = JSON.parse(await readFile(join(dir, 'prepared.json'), 'utf8')) as PreparedManifest;
  const plan = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as PreprocessPlan;
  const load = async (split: (typeof SPLITS)[number]): Promise<Matrix | null> => {
    const s = manifest.matrices[split];
    if (!s) return null;
    const m: Matrix = { rows: s.rows, cols: s.cols, data: new Float32Array(s.rows * s.cols), labels: new Float32Array(s.rows) };
    if (manifest.weighted) m.weights = new Float32Array(s.rows);
    await readInto(join(dir, `${split}.bin`), [m.data, m.labels, m.weights]);
    return m;
  };
  const [train, validation, test] = await Promise.all(SPLITS.map(load));
  const prepared: PreparedData = {
    task: manifest.task,
    featureNames: manifest.featureNames,
    classLabels: manifest.classLabels,
    plan,
    train: train!,
    validation,
    test: test!,
    droppedRows: manifest.droppedRows,
  };
  if (manifest.classWeights) prepared.classWeights = manifest.classWeights;
  if (manifest.classDistribution) prepared.classDistribution = manifest.classDistribution;
  if (manifest.frameRows) {
    const rows = (m: Matrix | null) => new Int32Array(m?.rows ?? 0);
    prepared.frameRows = { train: rows(prepared.train), validation: rows(validation), test: rows(prepared.test) };
    await readInto(join(dir, 'rows.bin'), [prepared.frameRows.train, prepared.frameRows.validation, prepared.frameRows.test]);
  }
  return prepared;
}

/** Reads the plan alone, as prediction needs it. */
export async function loadPlan(dir: string): Promise<PreprocessPlan> {
  return JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as PreprocessPlan;
}

function shape(m: Matrix | null): { rows: number; cols: number } | null {
  return m ? { rows: m.rows, cols: m.cols } : null;
}

function bytes(a: Float32Array | Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Reads a file straight into the arrays, one after another: a million-row matrix is read once into its own memory
 * instead of into a file buffer and then copied out. The file must hold exactly their bytes.
 */
async function readInto(path: string, arrays: readonly (Float32Array | Int32Array | undefined)[]): Promise<void> {
  const handle = await open(path, 'r');
  try {
    let position = 0;
    for (const array of arrays) {
      if (!array) continue;
      const target = bytes(array);
      for (let done = 0; done < target.length; ) {
        const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
        if (bytesRead === 0) throw new MlError('INTERNAL', `${path} is shorter than prepared.json says`);
        done += bytesRead;
      }
      position += target.length;
    }
    const { size } = await handle.stat();
    if (size !== position) throw new MlError('INTERNAL', `${path} holds ${size} bytes, prepared.json says ${position}`);
  } finally {
    await handle.close();
  }
}
