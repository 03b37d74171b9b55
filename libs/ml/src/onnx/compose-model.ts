import * as ort from 'onnxruntime-node';
import { parseBoolean, parseDatetime, parseNumber } from '../data/cell-values';
import { datasetInvalid } from '../data/dataset-invalid';
import type { Frame } from '../data/frame';
import { recordsToFrame } from '../data/records-to-frame';
import { MlError } from '../errors';
import { categoryText, numericReader } from '../preprocess/apply-plan';
import type { PreprocessPlan } from '../preprocess/preprocess-plan';
import { FLOAT, tensorValue } from './onnx-builders';
import type { OnnxMessage } from './onnx-builders';
import { onnxType } from './onnx-proto';
import { onnxInputSignature, preprocessingGraph } from './preprocessing-graph';
import type { OnnxScores, ScoreOnnxOptions } from './score-onnx';

/** The core's `features` input becomes this internal value, fed by the preprocessing graph. */
const LINK = 'pre/features';
const CORE_PREFIX = 'core/';
const IR_VERSION = 8;

/** Metadata keys the composed model carries for the serving layer. */
export const RAW_INPUTS_KEY = 'raw_inputs';
export const FEATURE_NAMES_KEY = 'feature_names';
export const CLASS_LABELS_KEY = 'class_labels';
export const INPUT_ENCODING_KEY = 'input_encoding';

const INPUT_ENCODING =
  'one [N,1] input per raw column: numbers and booleans as float (NaN = missing), text as string ("" = missing), ' +
  'datetimes as double epoch milliseconds UTC (NaN = missing)';

interface ModelObject {
  irVersion?: number | string;
  opsetImport?: { domain?: string; version?: number | string }[];
  graph?: GraphObject;
  metadataProps?: { key?: string; value?: string }[];
  [field: string]: unknown;
}

interface GraphObject {
  node?: OnnxMessage[];
  input?: OnnxMessage[];
  output?: OnnxMessage[];
  initializer?: OnnxMessage[];
  valueInfo?: OnnxMessage[];
  [field: string]: unknown;
}

/**
 * Puts the plan's preprocessing in front of a core model whose input is `features` float[N, F], so the result
 * takes raw columns. The core's outputs keep their names; its other values are prefixed so nothing clashes.
 */
export function composeWithPreprocessing(coreOnnx: Uint8Array, plan: PreprocessPlan): Uint8Array {
  const ModelProto = onnxType('ModelProto');
  const core = ModelProto.toObject(ModelProto.decode(coreOnnx), { longs: String, arrays: true }) as ModelObject;
  const graph = core.graph ?? {};
  const coreInputs = graph.input ?? [];
  if (!coreInputs.some((i) => i.name === 'features')) {
    throw new MlError('INTERNAL', 'the core model has no `features` input to put preprocessing in front of');
  }
  const outputs = new Set((graph.output ?? []).map((o) => String(o.name)));
  const rename = (name: string): string => {
    if (name === '' || outputs.has(name)) return name;
    return name === 'features' ? LINK : CORE_PREFIX + name;
  };
  const pre = preprocessingGraph(plan);
  checkInputNames(plan, outputs);

  const coreNodes = (graph.node ?? []).map((n) => ({
    ...n,
    name: CORE_PREFIX + String(n.name ?? ''),
    input: (n.input as string[]).map(rename),
    output: (n.output as string[]).map(rename),
  }));
  const renamed = (values: OnnxMessage[] | undefined) => (values ?? []).map((v) => ({ ...v, name: rename(String(v.name)) }));
  const model: ModelObject = {
    ...core,
    irVersion: core.irVersion ?? IR_VERSION,
    opsetImport: unionOpsets([...(core.opsetImport ?? []), ...pre.opsets]),
    graph: {
      ...graph,
      node: [...pre.nodes.map((n) => renameNodeOutput(n, 'features', LINK)), ...coreNodes],
      input: [...pre.inputs, ...renamed(coreInputs.filter((i) => i.name !== 'features'))],
      initializer: [...pre.initializers, ...renamed(graph.initializer)],
      valueInfo: renamed(graph.valueInfo),
      output: graph.output ?? [],
    },
    metadataProps: mergeMetadata(core.metadataProps ?? [], plan),
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** The preprocessing graph on its own, output `features`: what applyPlan computes, as an ONNX model. */
export function preprocessingModel(plan: PreprocessPlan): Uint8Array {
  const ModelProto = onnxType('ModelProto');
  const pre = preprocessingGraph(plan);
  const model = {
    irVersion: IR_VERSION,
    producerName: 'trainyard',
    opsetImport: pre.opsets,
    graph: {
      name: 'preprocessing',
      node: pre.nodes,
      input: pre.inputs,
      initializer: pre.initializers,
      output: [tensorValue(pre.output, FLOAT, ['N', plan.featureNames.length])],
    },
    metadataProps: mergeMetadata([], plan),
  };
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/** The composed model's inputs for raw records (as a predict request carries them) or a frame, parsed as applyPlan parses them. */
export function rawInputFeeds(plan: PreprocessPlan, rows: readonly Record<string, unknown>[] | Frame): Record<string, ort.Tensor> {
  const frame = isFrame(rows) ? rows : recordsToFrame(rows, plan.inputs);
  const n = frame.rowCount;
  const byName = new Map(frame.columns.map((c) => [c.name, c]));
  const feeds: Record<string, ort.Tensor> = {};
  for (const t of plan.transforms) {
    const column = byName.get(t.column);
    if (!column) throw datasetInvalid(`feature column "${t.column}" is missing`, { column: t.column });
    if (t.kind === 'category') {
      const texts = new Array<string>(n);
      for (let r = 0; r < n; r++) texts[r] = categoryText(column, r) ?? '';
      feeds[t.column] = new ort.Tensor('string', texts, [n, 1]);
    } else if (t.kind === 'datetime') {
      feeds[t.column] = new ort.Tensor('float64', readAll(new Float64Array(n), numericReader(column, parseDatetime)), [n, 1]);
    } else {
      const read = numericReader(column, t.kind === 'boolean' ? parseBoolean : parseNumber);
      feeds[t.column] = new ort.Tensor('float32', readAll(new Float32Array(n), read), [n, 1]);
    }
  }
  return feeds;
}

/** Fills `out` with read(0..n-1); a plain loop, several times faster than TypedArray.from with a mapper. */
function readAll<T extends Float32Array | Float64Array>(out: T, read: (row: number) => number): T {
  for (let r = 0; r < out.length; r++) out[r] = read(r);
  return out;
}

const SMALL_BATCH_ROWS = 20_000;

/** Runs a composed model on raw records or a frame; outputs as scoreOnnx reports them. */
export async function scoreRawOnnx(
  bytes: Uint8Array,
  plan: PreprocessPlan,
  rows: readonly Record<string, unknown>[] | Frame,
  opts: ScoreOnnxOptions = {},
): Promise<OnnxScores> {
  let session: ort.InferenceSession;
  const count = isFrame(rows) ? rows.rowCount : rows.length;
  // A one-off scoring of a few thousand rows is quicker on one thread than through a pool that must wake first.
  const threads = count < SMALL_BATCH_ROWS ? { intraOpNumThreads: 1, interOpNumThreads: 1 } : {};
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: opts.executionProviders ?? ['cpu'], ...threads });
  } catch (err) {
    throw new MlError('INTERNAL', `onnxruntime could not load the model: ${(err as Error).message}`);
  }
  try {
    const out = await session.run(rawInputFeeds(plan, rows));
    const scores: OnnxScores = {};
    if (out.probabilities) scores.probabilities = out.probabilities.data as Float32Array;
    if (out.variable) scores.values = out.variable.data as Float32Array;
    if (out.label) scores.labels = Int32Array.from(out.label.data as BigInt64Array, (v) => Number(v));
    return scores;
  } finally {
    await session.release();
  }
}

function isFrame(rows: readonly Record<string, unknown>[] | Frame): rows is Frame {
  return !Array.isArray(rows);
}

/** A raw column named like a core output (say `value`) cannot be both an input and an output of one graph. */
function checkInputNames(plan: PreprocessPlan, outputs: Set<string>): void {
  for (const { name } of plan.inputs) {
    if (outputs.has(name) || name === LINK || name.startsWith(CORE_PREFIX) || name.startsWith('pre/')) {
      throw new MlError('INTERNAL', `feature column "${name}" clashes with a name the exported ONNX model uses itself`, {
        column: name,
      });
    }
  }
}

function renameNodeOutput(n: OnnxMessage, from: string, to: string): OnnxMessage {
  return { ...n, output: (n.output as string[]).map((o) => (o === from ? to : o)) };
}

/** Each domain at the highest version either graph asks for. */
function unionOpsets(opsets: { domain?: string; version?: number | string }[]): { domain: string; version: number }[] {
  const versions = new Map<string, number>();
  for (const { domain = '', version = 1 } of opsets) versions.set(domain, Math.max(versions.get(domain) ?? 0, Number(version)));
  return [...versions].map(([domain, version]) => ({ domain, version }));
}

function mergeMetadata(existing: { key?: string; value?: string }[], plan: PreprocessPlan): { key: string; value: string }[] {
  const entries = new Map(existing.map(({ key = '', value = '' }) => [key, value]));
  entries.set(RAW_INPUTS_KEY, JSON.stringify(onnxInputSignature(plan)));
  entries.set(INPUT_ENCODING_KEY, INPUT_ENCODING);
  entries.set(FEATURE_NAMES_KEY, JSON.stringify(plan.featureNames));
  if (plan.classLabels) entries.set(CLASS_LABELS_KEY, JSON.stringify(plan.classLabels));
  return [...entries].map(([key, value]) => ({ key, value }));
}
