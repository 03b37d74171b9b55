import type { Task } from '@trainyard/contracts';
import { minimizeLbfgs } from './lbfgs';
import { toLinearData } from './linear-data';
import type { LinearData } from './linear-data';
import { linearModelFrom, outputsFor, packCoefficients } from './linear-model';
import type { LinearModel } from './linear-model';
import type { LinearParams } from './linear-params';
import { crossEntropySum } from './logistic-loss';
import { fitRidge } from './ridge';

/** Rows as plain typed arrays, so they can be transferred to a worker thread. */
export interface DenseRows {
  rows: number;
  cols: number;
  data: Float32Array;
  labels: Float32Array;
  weights: Float32Array | null;
}

export interface LinearFitInput {
  task: Task;
  numClasses: number;
  params: LinearParams;
  train: DenseRows;
  validation: DenseRows | null;
  /** A model to warm-start from; its iteration count carries on. */
  start: LinearModel | null;
}

export interface LinearProgress {
  iteration: number;
  totalIterations: number;
  /** Mean log loss (classification) or RMSE (regression), without the penalty. */
  trainLoss: number;
  validationLoss: number | null;
  model: LinearModel;
}

export interface LinearFitOutput {
  model: LinearModel;
  cancelled: boolean;
}

/** Fits the whole model synchronously; `report` runs after each iteration and returns true to stop. */
export function fitLinear(input: LinearFitInput, report: (p: LinearProgress) => boolean): LinearFitOutput {
  const toData = (m: DenseRows) => toLinearData(m.rows, m.cols, m.data, m.labels, m.weights);
  const train = toData(input.train);
  const validation = input.validation ? toData(input.validation) : null;
  return input.task === 'regression' ? fitRegression(input, train, validation, report) : fitClassifier(input, train, validation, report);
}

function fitRegression(
  input: LinearFitInput,
  train: LinearData,
  validation: LinearData | null,
  report: (p: LinearProgress) => boolean,
): LinearFitOutput {
  const { weights, intercept } = fitRidge(train, input.params.l2, input.params.fitIntercept);
  const coefs = Float64Array.from([...weights, intercept]);
  const base = { task: input.task, numClasses: 0, featureCount: train.cols, outputs: 1, iterations: 1, converged: true };
  const model = linearModelFrom(base, coefs);
  const stop = report({
    iteration: 1,
    totalIterations: 1,
    trainLoss: rmse(train, coefs),
    validationLoss: validation ? rmse(validation, coefs) : null,
    model,
  });
  return { model, cancelled: stop };
}

function fitClassifier(
  input: LinearFitInput,
  train: LinearData,
  validation: LinearData | null,
  report: (p: LinearProgress) => boolean,
): LinearFitOutput {
  const { l2, fitIntercept, maxIterations, tolerance } = input.params;
  const outputs = outputsFor(input.task, input.numClasses);
  const base = { task: input.task, numClasses: input.numClasses, featureCount: train.cols, outputs };
  const weightCount = train.cols * outputs;
  const done = input.start?.iterations ?? 0;
  const x0 = input.start ? packCoefficients(input.start) : new Float64Array(weightCount + outputs);
  if (!fitIntercept) x0.fill(0, weightCount);
  if (done >= maxIterations) return { model: linearModelFrom({ ...base, iterations: done, converged: false }, x0), cancelled: false };

  // (Weighted) mean rather than summed objective, so `tolerance` does not depend on the row count.
  let lastDataLoss = Number.NaN;
  const objective = (coefs: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    const loss = crossEntropySum(train, coefs, outputs, grad);
    let penalty = 0;
    for (let i = 0; i < weightCount; i++) {
      penalty += coefs[i]! * coefs[i]!;
      grad[i] = grad[i]! + l2 * coefs[i]!;
    }
    // An unfitted intercept keeps a zero gradient, so L-BFGS never moves it off 0.
    if (!fitIntercept) grad.fill(0, weightCount);
    for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! / train.totalWeight;
    lastDataLoss = loss / train.totalWeight;
    return (loss + 0.5 * l2 * penalty) / train.totalWeight;
  };

  const result = minimizeLbfgs(objective, x0, {
    maxIterations: maxIterations - done,
    tolerance,
    onIteration: (iteration, coefs) =>
      report({
        iteration: done + iteration,
        totalIterations: maxIterations,
        trainLoss: lastDataLoss,
        validationLoss: validation ? crossEntropySum(validation, coefs, outputs, null) / validation.totalWeight : null,
        model: linearModelFrom({ ...base, iterations: done + iteration, converged: false }, coefs),
      }),
  });
  const model = linearModelFrom({ ...base, iterations: done + result.iterations, converged: result.converged }, result.x);
  return { model, cancelled: result.stopped };
}

function rmse(data: LinearData, coefs: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < data.rows; i++) {
    let y = coefs[data.cols]!;
    for (let f = 0; f < data.cols; f++) y += data.x[i * data.cols + f]! * coefs[f]!;
    sum += (data.weights ? data.weights[i]! : 1) * (y - data.labels[i]!) ** 2;
  }
  return Math.sqrt(sum / data.totalWeight);
}
