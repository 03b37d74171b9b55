import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
    const file = await readFile(join(dir, `${split}.bin`));
    // Copy out of the file buffer, whose byte offset need not be 4-byte aligned.
    const floats = new Float32Array(file.byteLength / 4);
    new Uint8Array(floats.buffer).set(file);
    const cells = s.rows * s.cols;
    const m: Matrix = { rows: s.rows, cols: s.cols, data: floats.slice(0, cells), labels: floats.slice(cells, cells + s.rows) };
    if (manifest.weighted) m.weights = floats.slice(cells + s.rows);
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
  if (manifest.frameRows) {
    const file = await readFile(join(dir, 'rows.bin'));
    const all = new Int32Array(file.byteLength / 4);
    new Uint8Array(all.buffer).set(file);
    const n = (m: Matrix | null) => m?.rows ?? 0;
    const [a, b] = [n(prepared.train), n(prepared.train) + n(validation)];
    prepared.frameRows = { train: all.slice(0, a), validation: all.slice(a, b), test: all.slice(b) };
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
