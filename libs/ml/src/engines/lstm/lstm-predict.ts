import type * as tfTypes from '@tensorflow/tfjs';
import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { withoutMissing } from '../linear/dense-inputs';
import { outputUnits } from '../mlp/mlp-model';
import { loadTf, yieldToEventLoop } from '../mlp/tfjs-wasm';
import type { Tf } from '../mlp/tfjs-wasm';
import type { LstmModel } from './lstm-model';
import { LstmNetwork } from './lstm-network';
import { fillWindows, rowRange } from './lstm-windows';

const CHUNK_ROWS = 4096;

type PublishShape = Pick<LstmModel, 'task' | 'numClasses' | 'target' | 'window'>;

/**
 * Network outputs for every row of a time-ordered matrix (NaN already replaced), in chunks with yields between:
 * raw logits (`raw`) for losses, or the published predictions with the same op order as ONNX.
 */
export async function runLstm(tf: Tf, network: LstmNetwork, model: PublishShape, rows: number, cols: number, data: Float32Array, raw: boolean): Promise<Float32Array> {
  const chunks: Float32Array[] = [];
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, rows - start);
    const windows = fillWindows(data, cols, model.window, rowRange(start, count), new Float32Array(model.window * count * cols));
    const out = tf.tidy(() => {
      const logits = network.logits(tf.tensor3d(windows, [model.window, count, cols]));
      return raw ? logits : publish(tf, logits, model);
    });
    chunks.push((await out.data()) as Float32Array);
    out.dispose();
    await yieldToEventLoop();
  }
  if (chunks.length === 1) return chunks[0]!;
  const joined = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    joined.set(c, offset);
    offset += c.length;
  }
  return joined;
}

function publish(tf: Tf, logits: tfTypes.Tensor2D, model: PublishShape): tfTypes.Tensor {
  if (model.task === 'regression') {
    const target = model.target ?? { mean: 0, std: 1 };
    return tf.add(tf.mul(logits, target.std), target.mean);
  }
  if (model.numClasses === 2) {
    const positive = tf.sigmoid(logits);
    return tf.concat([tf.sub(1, positive), positive], 1);
  }
  return tf.softmax(logits);
}

/** Rows must be in time order: each row's prediction reads the window − 1 rows before it in the same matrix. */
export async function predictLstm(model: LstmModel, m: Matrix): Promise<Float32Array> {
  if (m.cols !== model.featureCount) throw new MlError('DATASET_INVALID', `Model expects ${model.featureCount} features, got ${m.cols}`);
  const tf = await loadTf();
  const network = new LstmNetwork(tf, model.weights, { featureCount: model.featureCount, units: model.units, outputs: outputUnits(model.task, model.numClasses) });
  try {
    return await runLstm(tf, network, model, m.rows, m.cols, withoutMissing(m.data), false);
  } finally {
    network.dispose();
  }
}
