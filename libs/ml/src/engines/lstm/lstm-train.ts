import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { seededRandom } from '../../preprocess/seeded-random';
import { checkDenseInputs, withoutMissing } from '../linear/dense-inputs';
import { FlatAdam } from '../mlp/flat-adam';
import { batchLoss, reportedLoss, targetScale } from '../mlp/mlp-losses';
import { outputUnits } from '../mlp/mlp-model';
import { loadTf, yieldToEventLoop } from '../mlp/tfjs-wasm';
import type { Tf } from '../mlp/tfjs-wasm';
import { checkpointNow, type FamilyTrainOptions } from '../model-family';
import { decodeLstmModel, encodeLstmModel } from './lstm-model';
import type { LstmModel } from './lstm-model';
import { LstmNetwork, initialWeights } from './lstm-network';
import { resolveLstmParams } from './lstm-params';
import type { LstmParams } from './lstm-params';
import { runLstm } from './lstm-predict';
import { fillWindows } from './lstm-windows';
import { parentModel } from '../training-mode';
import { trainableFrom } from '../mlp/mlp-transfer';
import { transferredLstm } from './lstm-transfer';

export interface LstmTrainOutcome {
  model: LstmModel;
  rounds: number;
  bestRound: number | null;
  stoppedEarly: boolean;
  cancelled: boolean;
}

interface Run {
  tf: Tf;
  opts: FamilyTrainOptions;
  params: LstmParams;
  model: LstmModel;
  network: LstmNetwork;
  optimizer: FlatAdam;
}

/**
 * Adam over shuffled windows: each training row becomes the sequence of itself and the window − 1 rows before it,
 * so the train (and validation) matrix must be in time order. Batch order depends only on (seed, epoch), so a resume replays.
 */
export async function trainLstm(opts: FamilyTrainOptions): Promise<LstmTrainOutcome> {
  const validation = checkDenseInputs(opts, 'lstm');
  const params = resolveLstmParams(opts.params, validation !== null);
  if (params.earlyStoppingRounds !== null && !validation) {
    throw new MlError('INVALID_HYPERPARAMETERS', 'earlyStoppingRounds needs a validation set');
  }
  const outputs = outputUnits(opts.task, opts.numClasses);
  const parentBytes = parentModel('lstm', opts);
  const parent = parentBytes && transferredLstm(decodeLstmModel(parentBytes), opts, params.seed);
  // A transferred network keeps the parent's window and units, so its checkpoints are checked against those.
  const start = opts.startFrom ? compatibleStart(decodeLstmModel(opts.startFrom), opts, parent ?? params) : null;
  // The LSTM layer is the one layer below the dense output; freezing it trains the output alone.
  const frozen = trainableFrom(opts.freezeLayers ?? 0, parent ? 1 : 0, 'lstm');
  const tf = await loadTf();
  const model: LstmModel = start ?? parent ?? {
    task: opts.task,
    numClasses: opts.task === 'regression' ? 0 : opts.numClasses,
    featureCount: opts.train.cols,
    window: params.window,
    units: params.units,
    weights: initialWeights(opts.train.cols, params.units, outputs, params.seed),
    target: opts.task === 'regression' ? targetScale(opts.train.labels) : null,
    epochs: 0,
    training: null,
  };
  const network = new LstmNetwork(tf, model.weights, { featureCount: model.featureCount, units: model.units, outputs });
  let optimizer: FlatAdam | null = null;
  try {
    // A frozen LSTM layer (kernel, recurrent kernel, bias) is left out of the optimizer; the dense output trains.
    optimizer = new FlatAdam(tf, network.variables.slice(3 * frozen), params.learningRate, model.training);
    return await epochs({ tf, opts, params, model, network, optimizer }, validation);
  } finally {
    optimizer?.dispose();
    network.dispose();
  }
}

async function epochs(run: Run, validation: Matrix | null): Promise<LstmTrainOutcome> {
  const { tf, opts, params, model, network, optimizer } = run;
  const trainX = withoutMissing(opts.train.data);
  const validX = validation && withoutMissing(validation.data);
  const metric = opts.task === 'regression' ? 'rmse' : 'logLoss';
  let bestEpoch = model.training?.bestEpoch ?? null;
  let bestLoss = model.training?.bestLoss ?? Number.POSITIVE_INFINITY;
  let bestWeights = model.training?.bestWeights ?? null;
  let epoch = model.epochs;
  let cancelled = false;
  let stoppedEarly = false;
  const loss = async (m: Matrix, x: Float32Array) =>
    reportedLoss(opts.task, opts.numClasses, await runLstm(tf, network, model, m.rows, m.cols, x, true), m, model.target);

  while (epoch < params.epochs) {
    epoch++;
    await trainEpoch(run, trainX, epoch);
    const trainLoss = await loss(opts.train, trainX);
    const validLoss = validation && (await loss(validation, validX!));
    if (validLoss !== null && (validLoss < bestLoss || bestEpoch === null)) {
      bestLoss = validLoss;
      bestEpoch = epoch;
      bestWeights = params.earlyStoppingRounds !== null ? network.snapshot() : null;
    }
    stoppedEarly = params.earlyStoppingRounds !== null && bestEpoch !== null && epoch - bestEpoch >= params.earlyStoppingRounds;
    if (checkpointNow(opts, epoch)) {
      const adam = await optimizer.state();
      const training = { ...adam, bestEpoch, bestLoss: Number.isFinite(bestLoss) ? bestLoss : null, bestWeights };
      await opts.onCheckpoint(encodeLstmModel({ ...model, weights: network.snapshot(), epochs: epoch, training }), epoch);
    }
    const decision = await opts.onRound?.({
      round: epoch,
      totalRounds: params.epochs,
      train: { [metric]: trainLoss },
      validation: validLoss === null ? null : { [metric]: validLoss },
    });
    if (decision === 'stop') {
      cancelled = true;
      break;
    }
    if (stoppedEarly) break;
  }

  const useBest = stoppedEarly && bestWeights !== null && bestEpoch !== null;
  const final: LstmModel = { ...model, weights: useBest ? bestWeights! : network.snapshot(), epochs: useBest ? bestEpoch! : epoch, training: null };
  return { model: final, rounds: final.epochs, bestRound: bestEpoch, stoppedEarly, cancelled };
}

async function trainEpoch(run: Run, trainX: Float32Array, epoch: number): Promise<void> {
  const { tf, opts, params, model, network, optimizer } = run;
  const { rows, cols, labels, weights } = opts.train;
  const random = seededRandom((params.seed ^ Math.imul(epoch, 0x9e3779b1)) >>> 0);
  const order = shuffledRows(rows, random);
  const outputs = outputUnits(model.task, model.numClasses);
  const target = model.target;
  for (let start = 0; start < rows; start += params.batchSize) {
    const count = Math.min(params.batchSize, rows - start);
    const batch = order.subarray(start, start + count);
    const x = fillWindows(trainX, cols, model.window, batch, new Float32Array(model.window * count * cols));
    const y = new Float32Array(count * outputs);
    const w = weights ? new Float32Array(count) : null;
    batch.forEach((r, i) => {
      const label = labels[r]!;
      if (w) w[i] = weights![r]!;
      if (opts.task === 'regression') y[i] = (label - target!.mean) / target!.std;
      else if (outputs === 1) y[i] = label;
      else y[i * outputs + label] = 1;
    });
    tf.tidy(() => {
      const xs = tf.tensor3d(x, [model.window, count, cols]);
      const ys = tf.tensor2d(y, [count, outputs]);
      const ws = w && tf.tensor2d(w, [count, 1]);
      optimizer.minimize(() => {
        let loss = batchLoss(tf, opts.task, ys, network.logits(xs), ws);
        if (params.l2 > 0) for (const v of network.penalised) loss = tf.add(loss, tf.mul(params.l2, tf.sum(tf.square(v))));
        return loss;
      });
    });
    await yieldToEventLoop();
  }
}

function shuffledRows(rows: number, random: () => number): Uint32Array {
  const order = Uint32Array.from({ length: rows }, (_, i) => i);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

function compatibleStart(model: LstmModel, opts: FamilyTrainOptions, params: Pick<LstmParams, 'window' | 'units'>): LstmModel {
  const same =
    model.task === opts.task &&
    model.featureCount === opts.train.cols &&
    model.numClasses === (opts.task === 'regression' ? 0 : opts.numClasses) &&
    model.window === params.window &&
    model.units === params.units;
  if (!same) throw new MlError('INVALID_HYPERPARAMETERS', 'startFrom is an LSTM with a different task, shape, window or units');
  return model;
}
