import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { checkpointNow, type FamilyTrainOptions } from '../model-family';
import { seededRandom } from '../../preprocess/seeded-random';
import { checkDenseInputs, withoutMissing } from '../linear/dense-inputs';
import { FlatAdam } from './flat-adam';
import { batchLoss, reportedLoss, targetScale } from './mlp-losses';
import { decodeMlpModel, encodeMlpModel, outputUnits } from './mlp-model';
import type { MlpModel } from './mlp-model';
import { MlpNetwork, initialLayers } from './mlp-network';
import { resolveMlpParams } from './mlp-params';
import type { MlpParams } from './mlp-params';
import { runNetwork } from './mlp-predict';
import { loadTf, yieldToEventLoop } from './tfjs-wasm';
import { parentModel } from '../training-mode';
import { trainableFrom, transferredMlp } from './mlp-transfer';
import type { Tf } from './tfjs-wasm';

export interface MlpTrainOutcome {
  model: MlpModel;
  rounds: number;
  bestRound: number | null;
  stoppedEarly: boolean;
  cancelled: boolean;
}

/** Adam over seeded mini-batches; per-epoch order and dropout masks depend only on (seed, epoch), so a resume replays exactly. */
export async function trainMlp(opts: FamilyTrainOptions): Promise<MlpTrainOutcome> {
  const validation = checkDenseInputs(opts, 'mlp');
  const params = resolveMlpParams(opts.params, validation !== null);
  if (params.earlyStoppingRounds !== null && !validation) {
    throw new MlError('INVALID_HYPERPARAMETERS', 'earlyStoppingRounds needs a validation set');
  }
  const outputs = outputUnits(opts.task, opts.numClasses);
  const parentBytes = parentModel('mlp', opts);
  const parent = parentBytes && transferredMlp(decodeMlpModel(parentBytes), opts, params.seed);
  // A transferred network keeps the parent's shape, so its checkpoints are checked against that, not the params.
  const shape = parent ? { hidden: parent.layers.slice(0, -1).map((l) => l.outputs), activation: parent.activation } : { hidden: params.hiddenLayers, activation: params.activation };
  const start = opts.startFrom ? compatibleStart(decodeMlpModel(opts.startFrom), opts, shape, outputs) : null;
  const frozen = trainableFrom(opts.freezeLayers ?? 0, parent ? parent.layers.length - 1 : 0, 'mlp');
  const tf = await loadTf();
  const model: MlpModel = start ?? parent ?? {
    task: opts.task,
    numClasses: opts.task === 'regression' ? 0 : opts.numClasses,
    featureCount: opts.train.cols,
    activation: params.activation,
    layers: initialLayers(opts.train.cols, params.hiddenLayers, outputs, params.seed),
    target: opts.task === 'regression' ? targetScale(opts.train.labels) : null,
    epochs: 0,
    training: null,
  };
  const network = new MlpNetwork(tf, model.layers, model.activation);
  let optimizer: FlatAdam | null = null;
  try {
    // Frozen layers are left out of the optimizer, so no step moves them (each layer is a weight and a bias variable).
    optimizer = new FlatAdam(tf, network.variables.slice(2 * frozen), params.learningRate, model.training);
    return await epochs(tf, opts, params, model, network, optimizer, validation);
  } finally {
    optimizer?.dispose();
    network.dispose();
  }
}

async function epochs(
  tf: Tf,
  opts: FamilyTrainOptions,
  params: MlpParams,
  model: MlpModel,
  network: MlpNetwork,
  optimizer: FlatAdam,
  validation: Matrix | null,
): Promise<MlpTrainOutcome> {
  const trainX = withoutMissing(opts.train.data);
  const validX = validation && withoutMissing(validation.data);
  const metric = opts.task === 'regression' ? 'rmse' : 'logLoss';
  let bestEpoch = model.training?.bestEpoch ?? null;
  let bestLoss = model.training?.bestLoss ?? Number.POSITIVE_INFINITY;
  let bestLayers = model.training?.bestLayers ?? null;
  let epoch = model.epochs;
  let cancelled = false;
  let stoppedEarly = false;
  const loss = (raw: Float32Array, m: Matrix) => reportedLoss(opts.task, opts.numClasses, raw, m, model.target);

  while (epoch < params.epochs) {
    epoch++;
    await trainEpoch(tf, opts, params, model, network, optimizer, trainX, epoch);
    const trainLoss = loss(await runNetwork(tf, network, model, opts.train.rows, opts.train.cols, trainX, true), opts.train);
    const validLoss = validation && loss(await runNetwork(tf, network, model, validation.rows, validation.cols, validX!, true), validation);
    if (validLoss !== null && (validLoss < bestLoss || bestEpoch === null)) {
      bestLoss = validLoss;
      bestEpoch = epoch;
      bestLayers = params.earlyStoppingRounds !== null ? network.snapshot() : null;
    }
    stoppedEarly = params.earlyStoppingRounds !== null && bestEpoch !== null && epoch - bestEpoch >= params.earlyStoppingRounds;
    if (checkpointNow(opts, epoch)) {
      const adam = await optimizer.state();
      const training = { ...adam, bestEpoch, bestLoss: Number.isFinite(bestLoss) ? bestLoss : null, bestLayers };
      await opts.onCheckpoint(encodeMlpModel({ ...model, layers: network.snapshot(), epochs: epoch, training }), epoch);
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

  // After early stopping the model is the best epoch's, as XGBoost keeps only the rounds up to its best.
  const useBest = stoppedEarly && bestLayers !== null && bestEpoch !== null;
  const final: MlpModel = { ...model, layers: useBest ? bestLayers! : network.snapshot(), epochs: useBest ? bestEpoch! : epoch, training: null };
  return { model: final, rounds: final.epochs, bestRound: bestEpoch, stoppedEarly, cancelled };
}

async function trainEpoch(
  tf: Tf,
  opts: FamilyTrainOptions,
  params: MlpParams,
  model: MlpModel,
  network: MlpNetwork,
  optimizer: FlatAdam,
  trainX: Float32Array,
  epoch: number,
): Promise<void> {
  const { rows, cols, labels, weights } = opts.train;
  const random = seededRandom((params.seed ^ Math.imul(epoch, 0x9e3779b1)) >>> 0);
  const order = shuffledRows(rows, random);
  const hidden = model.layers.slice(0, -1).map((l) => l.outputs);
  const outputs = model.layers[model.layers.length - 1]!.outputs;
  const target = model.target;
  for (let start = 0; start < rows; start += params.batchSize) {
    const count = Math.min(params.batchSize, rows - start);
    const x = new Float32Array(count * cols);
    const y = new Float32Array(count * outputs);
    const w = weights ? new Float32Array(count) : null;
    for (let i = 0; i < count; i++) {
      const r = order[start + i]!;
      x.set(trainX.subarray(r * cols, (r + 1) * cols), i * cols);
      const label = labels[r]!;
      if (w) w[i] = weights![r]!;
      if (opts.task === 'regression') y[i] = (label - target!.mean) / target!.std;
      else if (outputs === 1) y[i] = label;
      else y[i * outputs + label] = 1;
    }
    const masks = params.dropout > 0 ? hidden.map((units) => dropoutMask(count * units, params.dropout, random)) : null;
    tf.tidy(() => {
      const xs = tf.tensor2d(x, [count, cols]);
      const ys = tf.tensor2d(y, [count, outputs]);
      const maskTensors = masks && masks.map((m, i) => tf.tensor2d(m, [count, hidden[i]!]));
      const ws = w && tf.tensor2d(w, [count, 1]);
      optimizer.minimize(() => {
        let loss = batchLoss(tf, opts.task, ys, network.logits(xs, maskTensors), ws);
        if (params.l2 > 0) for (const w of network.weights) loss = tf.add(loss, tf.mul(params.l2, tf.sum(tf.square(w))));
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

/** Inverted dropout: kept units are scaled by 1/(1−rate) so inference needs no rescaling. */
function dropoutMask(size: number, rate: number, random: () => number): Float32Array {
  const keep = 1 / (1 - rate);
  return Float32Array.from({ length: size }, () => (random() < rate ? 0 : keep));
}

function compatibleStart(model: MlpModel, opts: FamilyTrainOptions, shape: { hidden: number[]; activation: MlpParams['activation'] }, outputs: number): MlpModel {
  const hidden = model.layers.slice(0, -1).map((l) => l.outputs);
  const same =
    model.task === opts.task &&
    model.featureCount === opts.train.cols &&
    model.layers[model.layers.length - 1]!.outputs === outputs &&
    model.activation === shape.activation &&
    hidden.join() === shape.hidden.join();
  if (!same) throw new MlError('INVALID_HYPERPARAMETERS', 'startFrom is an MLP with a different task, shape or activation');
  return model;
}
