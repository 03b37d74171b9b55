import type { Task } from '@trainyard/contracts';
import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { sigmoid } from './logistic-loss';

export const LINEAR_MODEL_FORMAT = 'trainyard-linear';

/** The serialised model: float32-exact coefficients so predict and ONNX see the same numbers. */
export interface LinearModel {
  format: typeof LINEAR_MODEL_FORMAT;
  version: 1;
  task: Task;
  /** 0 for regression. */
  numClasses: number;
  featureCount: number;
  /** 1 for regression and binary (the logit of class 1), numClasses for softmax. */
  outputs: number;
  /** featureCount×outputs, feature-major. */
  coefficients: number[];
  intercepts: number[];
  /** Solver iterations so far (1 for the closed-form ridge); a resume continues from here. */
  iterations: number;
  converged: boolean;
}

export function outputsFor(task: Task, numClasses: number): number {
  return task === 'regression' || numClasses === 2 ? 1 : numClasses;
}

export function linearModelFrom(
  base: Pick<LinearModel, 'task' | 'numClasses' | 'featureCount' | 'outputs' | 'iterations' | 'converged'>,
  coefs: Float64Array,
): LinearModel {
  const split = base.featureCount * base.outputs;
  const round = (values: Float64Array) => Array.from(values, (v) => Math.fround(v));
  return {
    format: LINEAR_MODEL_FORMAT,
    version: 1,
    ...base,
    coefficients: round(coefs.subarray(0, split)),
    intercepts: round(coefs.subarray(split, split + base.outputs)),
  };
}

/** Coefficients then intercepts, the layout the solvers work in. */
export function packCoefficients(model: LinearModel): Float64Array {
  return Float64Array.from([...model.coefficients, ...model.intercepts]);
}

export function encodeLinearModel(model: LinearModel): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(model));
}

export function decodeLinearModel(bytes: Uint8Array): LinearModel {
  let model: LinearModel;
  try {
    model = JSON.parse(new TextDecoder().decode(bytes)) as LinearModel;
  } catch (err) {
    throw new MlError('INTERNAL', `Linear model is not JSON: ${(err as Error).message}`);
  }
  const expectedCoefficients = model?.featureCount * model?.outputs;
  if (
    model?.format !== LINEAR_MODEL_FORMAT ||
    !Array.isArray(model.coefficients) ||
    model.coefficients.length !== expectedCoefficients ||
    model.intercepts?.length !== model.outputs
  ) {
    throw new MlError('INTERNAL', 'Not a trainyard linear model (format, coefficient or intercept count is wrong)');
  }
  return model;
}

/** Probabilities [N, K] (K = 2 for binary) or one value per row; missing features count as 0, as in training. */
export function predictLinear(model: LinearModel, m: Matrix): Float32Array {
  if (m.cols !== model.featureCount) {
    throw new MlError('DATASET_INVALID', `Model expects ${model.featureCount} features, got ${m.cols}`);
  }
  const { outputs, coefficients, intercepts } = model;
  const z = new Float64Array(outputs);
  const width = model.task === 'regression' ? 1 : Math.max(2, outputs);
  const out = new Float32Array(m.rows * width);
  for (let i = 0; i < m.rows; i++) {
    for (let k = 0; k < outputs; k++) z[k] = intercepts[k]!;
    for (let f = 0; f < m.cols; f++) {
      const v = m.data[i * m.cols + f]!;
      if (v !== v || v === 0) continue;
      for (let k = 0; k < outputs; k++) z[k] = z[k]! + v * coefficients[f * outputs + k]!;
    }
    if (model.task === 'regression') {
      out[i] = z[0]!;
    } else if (outputs === 1) {
      const p = Math.fround(sigmoid(z[0]!));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    } else {
      let max = -Infinity;
      for (let k = 0; k < outputs; k++) max = Math.max(max, z[k]!);
      let sum = 0;
      for (let k = 0; k < outputs; k++) sum += Math.exp(z[k]! - max);
      for (let k = 0; k < outputs; k++) out[i * outputs + k] = Math.exp(z[k]! - max) / sum;
    }
  }
  return out;
}

/** |coefficient| summed over outputs, normalised to sum to 1; meaningful because inputs arrive standardised. */
export function linearImportance(model: LinearModel): number[] {
  const totals = new Array<number>(model.featureCount).fill(0);
  for (let f = 0; f < model.featureCount; f++) {
    for (let k = 0; k < model.outputs; k++) totals[f]! += Math.abs(model.coefficients[f * model.outputs + k]!);
  }
  const sum = totals.reduce((a, b) => a + b, 0);
  return sum > 0 ? totals.map((t) => t / sum) : totals;
}
