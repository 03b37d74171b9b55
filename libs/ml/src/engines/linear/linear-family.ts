import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { checkpointNow, type FamilyTrainOptions, type FamilyTrainResult, type ModelFamily } from '../model-family';
import { checkDenseInputs, withoutMissing } from './dense-inputs';
import type { DenseRows } from './linear-fit';
import { decodeLinearModel, encodeLinearModel, linearImportance, outputsFor, predictLinear } from './linear-model';
import type { LinearModel } from './linear-model';
import { resolveLinearParams, validateLinearParams } from './linear-params';
import { linearToOnnx } from './linear-to-onnx';
import { runLinearFitInWorker } from './run-linear-fit';
import { parentModel } from '../training-mode';

export const LINEAR_ENGINE = 'trainyard-linear';
export const LINEAR_ENGINE_VERSION = '1.0.0';

/** Ridge regression (closed form) and L2-regularised logistic / softmax regression (L-BFGS), fitted off the event loop. */
export const linearFamily: ModelFamily = {
  type: 'linear',
  needsScaledInputs: true,
  validateParams: validateLinearParams,
  resolvedParams: (params) => ({ ...resolveLinearParams(params) }),
  train: trainLinear,
  async predict(model, m) {
    return predictLinear(decodeLinearModel(model), m);
  },
  toOnnx: linearToOnnx,
};

async function trainLinear(opts: FamilyTrainOptions): Promise<FamilyTrainResult> {
  parentModel('linear', opts);
  const params = resolveLinearParams(opts.params);
  const validation = checkDenseInputs(opts, 'linear');
  const start = opts.startFrom ? compatibleStart(decodeLinearModel(opts.startFrom), opts) : null;
  const metric = opts.task === 'regression' ? 'rmse' : 'logLoss';
  const output = await runLinearFitInWorker(
    { task: opts.task, numClasses: opts.numClasses, params, train: rowsCopy(opts.train), validation: validation && rowsCopy(validation), start },
    async (p) => {
      if (checkpointNow(opts, p.iteration)) {
        await opts.onCheckpoint(encodeLinearModel(p.model), p.iteration);
      }
      const decision = await opts.onRound?.({
        round: p.iteration,
        totalRounds: p.totalIterations,
        train: { [metric]: p.trainLoss },
        validation: p.validationLoss === null ? null : { [metric]: p.validationLoss },
      });
      return decision === 'stop';
    },
  );
  return {
    model: encodeLinearModel(output.model),
    rounds: output.model.iterations,
    bestRound: null,
    stoppedEarly: false,
    cancelled: output.cancelled,
    engine: LINEAR_ENGINE,
    engineVersion: LINEAR_ENGINE_VERSION,
    featureImportance: linearImportance(output.model),
  };
}

/** Copies (NaN → 0) that can be transferred to the worker without detaching the caller's arrays. */
function rowsCopy(m: Matrix): DenseRows {
  return { rows: m.rows, cols: m.cols, data: withoutMissing(m.data), labels: m.labels.slice(), weights: m.weights?.slice() ?? null };
}

function compatibleStart(model: LinearModel, opts: FamilyTrainOptions): LinearModel {
  const outputs = outputsFor(opts.task, opts.numClasses);
  if (model.task !== opts.task || model.featureCount !== opts.train.cols || model.outputs !== outputs) {
    throw new MlError('INVALID_HYPERPARAMETERS', 'startFrom is a linear model for a different task, feature count or class count');
  }
  return model;
}
