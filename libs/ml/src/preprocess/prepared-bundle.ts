import { open } from 'node:fs/promises';
import { type BundleArray, bundlePieces, readBundle } from '../data/binary-bundle';
import { type FrameSectionsMeta, frameFromSections, frameSections } from '../data/frame-sections';
import { MlError } from '../errors';
import type { Matrix } from '../matrix';
import type { PreparedData } from './prepared-data';
import type { PreprocessPlan } from './preprocess-plan';

const SPLITS = ['train', 'validation', 'test'] as const;
type Split = (typeof SPLITS)[number];

interface PreparedMeta {
  kind: 'prepared';
  version: 2;
  plan: PreprocessPlan;
  matrices: Record<Split, { rows: number; cols: number; weighted: boolean } | null>;
  frameRows: boolean;
  paritySample: FrameSectionsMeta | null;
  /** Every other field of PreparedData, as JSON. */
  rest: Record<string, unknown>;
}

/**
 * PreparedData as one bundle (see binary-bundle): the matrices, frame rows, the raw parity sample and the training
 * rows' times as arrays, everything else as JSON. Returns pieces to write in order; nothing is copied.
 */
export function preparedBundlePieces(p: PreparedData): Uint8Array[] {
  const { train, validation, test, frameRows, paritySample, trainTimes, plan, ...rest } = p;
  const arrays = new Map<string, BundleArray>();
  const matrices = { train, validation, test };
  for (const split of SPLITS) {
    const m = matrices[split];
    if (!m) continue;
    arrays.set(`${split}.data`, m.data);
    arrays.set(`${split}.labels`, m.labels);
    if (m.weights) arrays.set(`${split}.weights`, m.weights);
  }
  if (frameRows) for (const split of SPLITS) arrays.set(`${split}.frameRows`, frameRows[split]);
  if (trainTimes) arrays.set('train.times', trainTimes);
  let parity: FrameSectionsMeta | null = null;
  if (paritySample) {
    parity = frameSections(paritySample.frame, 'parity.frame.', arrays);
    arrays.set('parity.pick', paritySample.pick);
  }
  const meta: PreparedMeta = {
    kind: 'prepared',
    version: 2,
    plan,
    matrices: { train: shape(train), validation: shape(validation), test: shape(test) },
    frameRows: frameRows !== undefined,
    paritySample: parity,
    rest,
  };
  return bundlePieces(meta, arrays);
}

export async function readPreparedBundle(path: string): Promise<PreparedData> {
  const { meta, arrays } = await readBundle<PreparedMeta>(path);
  if (meta.kind !== 'prepared' || meta.version !== 2) throw new MlError('INTERNAL', `${path} is not a prepared-data bundle of this version`);
  const array = <T extends BundleArray>(name: string) => {
    const a = arrays.get(name);
    if (!a) throw new MlError('INTERNAL', `${path} has no ${name}`);
    return a as T;
  };
  const matrix = (split: Split): Matrix | null => {
    const s = meta.matrices[split];
    if (!s) return null;
    const m: Matrix = { rows: s.rows, cols: s.cols, data: array<Float32Array>(`${split}.data`), labels: array<Float32Array>(`${split}.labels`) };
    if (s.weighted) m.weights = array<Float32Array>(`${split}.weights`);
    return m;
  };
  const prepared = { ...meta.rest, plan: meta.plan, train: matrix('train')!, validation: matrix('validation'), test: matrix('test')! } as PreparedData;
  if (meta.frameRows) {
    prepared.frameRows = { train: array<Int32Array>('train.frameRows'), validation: array<Int32Array>('validation.frameRows'), test: array<Int32Array>('test.frameRows') };
  }
  if (arrays.has('train.times')) prepared.trainTimes = array<Float64Array>('train.times');
  if (meta.paritySample) prepared.paritySample = { frame: frameFromSections(meta.paritySample, 'parity.frame.', arrays), pick: array<Int32Array>('parity.pick') };
  return prepared;
}

/** Writes the bundle to a file (scripts, specs and benches; the pipeline streams the pieces into the store). */
export async function writePreparedBundle(p: PreparedData, path: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    for (const piece of preparedBundlePieces(p)) await handle.write(piece);
  } finally {
    await handle.close();
  }
}

function shape(m: Matrix | null): { rows: number; cols: number; weighted: boolean } | null {
  return m ? { rows: m.rows, cols: m.cols, weighted: m.weights !== undefined } : null;
}
