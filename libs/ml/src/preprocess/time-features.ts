import type { TimeFeaturesSpec } from '@trainyard/contracts';
import { parseBoolean, parseNumber } from '../data/cell-values';
import { datasetInvalid } from '../data/dataset-invalid';
import type { Frame } from '../data/frame';
import { numericReader } from './cell-readers';
import type { FeatureTransform, PreprocessPlan, TimeFeature } from './preprocess-plan';

/** The plan's time features for a request, checked against the columns the plan encodes. */
export function fitTimeFeatures(spec: TimeFeaturesSpec, transforms: FeatureTransform[]): TimeFeature[] {
  const kinds = new Map(transforms.map((t) => [t.column, t.kind]));
  for (const name of spec.columns) {
    const kind = kinds.get(name);
    if (!kind) throw datasetInvalid(`time feature column "${name}" is not a feature column`, { column: name });
    if (kind !== 'numeric' && kind !== 'boolean') {
      throw datasetInvalid(`time feature column "${name}" is ${kind}; lags and rolling means need numbers or booleans`, { column: name });
    }
  }
  return spec.columns.flatMap((column) => [
    ...spec.lags.map((periods): TimeFeature => ({ column, kind: 'lag', periods })),
    ...spec.rollingMeans.map((window): TimeFeature => ({ column, kind: 'rollingMean', window })),
  ]);
}

/**
 * The plan's time features for every frame row, row-major [rowCount, features], walking rows in `order`.
 * Values are float32 and sums are rounded to float32 at each step, as the ONNX graph adds them.
 */
export function computeTimeFeatures(plan: PreprocessPlan, frame: Frame, order: ArrayLike<number>): Float32Array {
  const features = plan.timeFeatures ?? [];
  const width = features.length;
  const out = new Float32Array(frame.rowCount * width).fill(NaN);
  const series = new Map<string, Float32Array>();
  const seriesOf = (name: string): Float32Array => {
    let values = series.get(name);
    if (!values) {
      values = orderedValues(plan, frame, name, order);
      series.set(name, values);
    }
    return values;
  };
  features.forEach((feature, f) => {
    const x = seriesOf(feature.column);
    for (let i = 0; i < order.length; i++) out[order[i] * width + f] = valueAt(feature, x, i);
  });
  return out;
}

function valueAt(feature: TimeFeature, x: Float32Array, i: number): number {
  if (feature.kind === 'lag') return i >= feature.periods ? x[i - feature.periods] : NaN;
  if (i < feature.window - 1) return NaN;
  let sum = x[i];
  for (let back = 1; back < feature.window; back++) sum = Math.fround(sum + x[i - back]);
  return Math.fround(sum / feature.window);
}

/** The column's encoded values (as float32) in `order`. */
function orderedValues(plan: PreprocessPlan, frame: Frame, name: string, order: ArrayLike<number>): Float32Array {
  const column = frame.columns.find((c) => c.name === name);
  if (!column) throw datasetInvalid(`feature column "${name}" is missing`, { column: name });
  const kind = plan.transforms.find((t) => t.column === name)?.kind;
  const read = numericReader(column, kind === 'boolean' ? parseBoolean : parseNumber);
  return Float32Array.from({ length: order.length }, (_, i) => read(order[i]));
}
