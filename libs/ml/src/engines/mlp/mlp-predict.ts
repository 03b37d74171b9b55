import type * as tfTypes from '@tensorflow/tfjs';
import { MlError } from '../../errors';
import type { Matrix } from '../../matrix';
import { withoutMissing } from '../linear/dense-inputs';
import type { MlpModel } from './mlp-model';
import { MlpNetwork } from './mlp-network';
import { loadTf, yieldToEventLoop } from './tfjs-wasm';
import type { Tf } from './tfjs-wasm';

const CHUNK_ROWS = 8192;

/**
 * Network outputs for every row in chunks, yielding between them: raw logits (`raw`) for loss computation, or the
 * published predictions (probabilities [N, K], K = 2 for binary; values for regression) with the same op order as ONNX.
 */
export async function runNetwork(tf: Tf, network: MlpNetwork, model: Pick<MlpModel, 'task' | 'numClasses' | 'target'>, rows: number, cols: number, data: Float32Array, raw: boolean): Promise<Float32Array> {
  const chunks: Float32Array[] = [];
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, rows - start);
    const out = tf.tidy(() => {
      const logits = network.logits(tf.tensor2d(data.subarray(start * cols, (start + count) * cols), [count, cols]));
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

function publish(tf: Tf, logits: tfTypes.Tensor2D, model: Pick<MlpModel, 'task' | 'numClasses' | 'target'>): tfTypes.Tensor {
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

export async function predictMlp(model: MlpModel, m: Matrix): Promise<Float32Array> {
  if (m.cols !== model.featureCount) throw new MlError('DATASET_INVALID', `Model expects ${model.featureCount} features, got ${m.cols}`);
  const tf = await loadTf();
  const network = new MlpNetwork(tf, model.layers, model.activation);
  try {
    return await runNetwork(tf, network, model, m.rows, m.cols, withoutMissing(m.data), false);
  } finally {
    network.dispose();
  }
}
