import type { ColumnType } from '../data/frame';
import type { DatetimePart, FeatureTransform, PreprocessPlan, TimeFeature } from '../preprocess/preprocess-plan';
import { FLOAT, attribute, node, tensorValue } from './onnx-builders';
import type { OnnxMessage } from './onnx-builders';
import { AttributeType, TensorDataType } from './onnx-proto';

export type OnnxInputType = 'tensor(float)' | 'tensor(double)' | 'tensor(string)';

/** One raw graph input: numbers and booleans as float (NaN missing), text as string ("" missing), datetimes as double epoch ms. */
export interface OnnxRawInput {
  name: string;
  type: OnnxInputType;
  columnType: ColumnType;
}

export interface PreprocessingGraph {
  nodes: OnnxMessage[];
  /** One [N, 1] tensor per raw column, in plan.inputs order. */
  inputs: OnnxMessage[];
  initializers: OnnxMessage[];
  /** float [N, featureNames.length], equal to applyPlan's matrix. */
  output: 'features';
  opsets: { domain: string; version: number }[];
}

const ML_DOMAIN = 'ai.onnx.ml';
/** Internal value names start with this, so they never meet a raw column name in practice. */
const PREFIX = 'pre/';
const MS_PER_DAY = 86_400_000;
/** JavaScript Dates end here; applyPlan's calendar parts are NaN beyond it. */
const MAX_DATE_MS = 8.64e15;

export function onnxInputSignature(plan: PreprocessPlan): OnnxRawInput[] {
  const kinds = new Map(plan.transforms.map((t) => [t.column, t.kind]));
  return plan.inputs.map(({ name, type }) => ({ name, type: inputType(kinds.get(name) ?? 'numeric'), columnType: type }));
}

/** ONNX nodes that turn the raw per-column inputs into the model's feature tensor, exactly as applyPlan does. */
export function preprocessingGraph(plan: PreprocessPlan): PreprocessingGraph {
  const g = new GraphBuilder();
  const inputs = onnxInputSignature(plan).map(({ name, type }) => tensorValue(name, elemType(type), ['N', 1]));
  const lagged = new LagCache(g);
  const pieces = [...plan.transforms.map((t) => encodeTransform(g, t)), ...(plan.timeFeatures ?? []).map((f) => encodeTimeFeature(lagged, f))];
  let features = pieces.length === 1 ? pieces[0] : g.op('Concat', pieces, [attribute('axis', 1)]);
  if (plan.imputeValues) {
    features = g.op('Where', [g.op('IsNaN', [features]), g.floats(plan.imputeValues), features]);
  }
  if (plan.scaling) {
    features = g.op('Div', [g.op('Sub', [features, g.floats(plan.scaling.mean)]), g.floats(plan.scaling.std)]);
  }
  g.op('Identity', [features], [], 'features');
  return {
    nodes: g.nodes,
    inputs,
    initializers: g.initializers,
    output: 'features',
    opsets: [{ domain: '', version: 17 }, { domain: ML_DOMAIN, version: 2 }],
  };
}

function inputType(kind: FeatureTransform['kind']): OnnxInputType {
  if (kind === 'category') return 'tensor(string)';
  return kind === 'datetime' ? 'tensor(double)' : 'tensor(float)';
}

function elemType(type: OnnxInputType): number {
  if (type === 'tensor(string)') return TensorDataType.STRING;
  return type === 'tensor(double)' ? TensorDataType.DOUBLE : FLOAT;
}

/** A float [N, width] tensor for one transform. */
function encodeTransform(g: GraphBuilder, t: FeatureTransform): string {
  switch (t.kind) {
    case 'numeric':
    case 'boolean':
      return t.column;
    case 'category': {
      // Keys must be non-empty; "" is the missing marker and never a category, so it is a safe filler.
      const keys = t.categories.length > 0 ? t.categories : [''];
      const codes = t.categories.length > 0 ? t.categories.map((_, i) => i) : [NaN];
      const attrs = [
        attribute('keys_strings', keys),
        attribute('values_floats', { floats: codes }),
        { name: 'default_float', type: AttributeType.FLOAT, f: NaN },
      ];
      return g.op('LabelEncoder', [t.column], attrs, '', ML_DOMAIN);
    }
    case 'datetime': {
      const parts = datetimeParts(g, t.column, t.parts);
      const joined = parts.length === 1 ? parts[0] : g.op('Concat', parts, [attribute('axis', 1)]);
      return g.op('Cast', [joined], [attribute('to', FLOAT)]);
    }
  }
}

/**
 * A float [N, 1] time feature over the batch in row order, as computeTimeFeatures walks rows in time order: the
 * source input is a numeric or boolean column's float [N, 1], already its matrix value.
 */
function encodeTimeFeature(lagged: LagCache, f: TimeFeature): string {
  if (f.kind === 'lag') return lagged.of(f.column, f.periods);
  // Adds in the order the TypeScript loop does (this row, then one back, two back, ...), in float32 each step.
  let sum = f.column;
  for (let back = 1; back < f.window; back++) sum = lagged.g.op('Add', [sum, lagged.of(f.column, back)]);
  return lagged.g.op('Div', [sum, lagged.g.floats([f.window])]);
}

/** Shifted copies of an [N, 1] input: NaN rows on top, the last rows cut off; each (column, periods) built once. */
class LagCache {
  private readonly built = new Map<string, string>();
  constructor(readonly g: GraphBuilder) {}

  of(column: string, periods: number): string {
    const key = `${column}\u0000${periods}`;
    let name = this.built.get(key);
    if (!name) {
      const padding = this.g.floats(new Array<number>(periods).fill(NaN), [periods, 1]);
      const padded = this.g.op('Concat', [padding, column], [attribute('axis', 0)]);
      name = this.g.op('Slice', [padded, this.g.ints([0]), this.g.ints([-periods]), this.g.ints([0])]);
      this.built.set(key, name);
    }
    return name;
  }
}

/** Double [N, 1] tensors for each part of an epoch-ms input, matching JavaScript's UTC Date getters. */
function datetimeParts(g: GraphBuilder, ms: string, parts: DatetimePart[]): string[] {
  let calendar: { year: string; month: string; dayOfWeek: string } | null = null;
  const civil = () => (calendar ??= civilFromEpochMs(g, ms));
  return parts.map((part) => (part === 'epochSeconds' ? g.op('Div', [ms, g.double(1000)]) : civil()[part]));
}

/** Howard Hinnant's days-to-civil algorithm with floor division in double; exact for every valid Date. */
function civilFromEpochMs(g: GraphBuilder, ms: string): { year: string; month: string; dayOfWeek: string } {
  const op = (type: string, a: string, b: number | string) => g.op(type, [a, typeof b === 'number' ? g.double(b) : b]);
  const floorDiv = (a: string, n: number) => g.op('Floor', [op('Div', a, n)]);
  const floorMod = (a: string, n: number) => op('Sub', a, op('Mul', floorDiv(a, n), n));

  const abs = g.op('Abs', [ms]);
  const valid = g.op('Where', [op('LessOrEqual', abs, MAX_DATE_MS), ms, g.double(NaN)]);
  // Date truncates fractional milliseconds toward zero.
  const whole = g.op('Mul', [g.op('Sign', [valid]), g.op('Floor', [g.op('Abs', [valid])])]);
  const days = floorDiv(whole, MS_PER_DAY);
  const dayOfWeek = floorMod(op('Add', days, 4), 7);

  const z = op('Add', days, 719_468);
  const era = floorDiv(z, 146_097);
  const doe = op('Sub', z, op('Mul', era, 146_097));
  const leapless = op('Sub', op('Add', op('Sub', doe, floorDiv(doe, 1460)), floorDiv(doe, 36_524)), floorDiv(doe, 146_096));
  const yoe = floorDiv(leapless, 365);
  const yearStart = op('Sub', op('Add', op('Mul', yoe, 365), floorDiv(yoe, 4)), floorDiv(yoe, 100));
  const doy = op('Sub', doe, yearStart);
  const mp = floorDiv(op('Add', op('Mul', doy, 5), 2), 153);
  // The algorithm's year starts in March: months 11 and 12 of it are January and February of the next year.
  const wraps = floorDiv(mp, 10);
  const month = op('Sub', op('Add', mp, 3), op('Mul', wraps, 12));
  const year = op('Add', op('Add', yoe, op('Mul', era, 400)), wraps);
  return { year, month, dayOfWeek };
}

/** Numbers value names, shares scalar constants and collects initializers. */
class GraphBuilder {
  readonly nodes: OnnxMessage[] = [];
  readonly initializers: OnnxMessage[] = [];
  private count = 0;
  private readonly scalars = new Map<string, string>();
  private readonly intLists = new Map<string, string>();

  op(opType: string, inputs: string[], attrs: OnnxMessage[] = [], output = '', domain = ''): string {
    const name = output || `${PREFIX}${this.count++}_${opType}`;
    this.nodes.push(node(opType, inputs, [name], attrs, domain));
    return name;
  }

  double(value: number): string {
    const key = String(value);
    let name = this.scalars.get(key);
    if (!name) {
      name = `${PREFIX}c${this.scalars.size}`;
      this.scalars.set(key, name);
      this.initializers.push({ name, dataType: TensorDataType.DOUBLE, dims: [], doubleData: [value] });
    }
    return name;
  }

  floats(values: number[], dims: number[] = [values.length]): string {
    const name = `${PREFIX}v${this.initializers.length}`;
    this.initializers.push({ name, dataType: TensorDataType.FLOAT, dims, floatData: values });
    return name;
  }

  ints(values: number[]): string {
    const key = values.join(',');
    let name = this.intLists.get(key);
    if (!name) {
      name = `${PREFIX}v${this.initializers.length}`;
      this.intLists.set(key, name);
      this.initializers.push({ name, dataType: TensorDataType.INT64, dims: [values.length], int64Data: values });
    }
    return name;
  }
}
