import type * as tfTypes from '@tensorflow/tfjs';
import { seededRandom } from '../../preprocess/seeded-random';
import { fastGradientMatMul } from '../mlp/tfjs-wasm';
import type { Tf } from '../mlp/tfjs-wasm';
import { LSTM_VARIABLES, variableShapes } from './lstm-model';
import type { LstmWeights } from './lstm-model';

let networkCount = 0;

/** Glorot-uniform kernels, zero biases except the forget gate's 1 (as Keras' unit_forget_bias), from `seed` alone. */
export function initialWeights(featureCount: number, units: number, outputs: number, seed: number): LstmWeights {
  const random = seededRandom(seed);
  const glorot = (inputs: number, size: number) => {
    const limit = Math.sqrt(6 / (inputs + size / inputs));
    return Float32Array.from({ length: size }, () => (random() * 2 - 1) * limit);
  };
  const bias = new Float32Array(4 * units);
  bias.fill(1, units, 2 * units);
  return {
    kernel: glorot(featureCount, featureCount * 4 * units),
    recurrentKernel: glorot(units, units * 4 * units),
    bias,
    dense: glorot(units, units * outputs),
    denseBias: new Float32Array(outputs),
  };
}

/**
 * One LSTM layer (gates i, f, c, o with sigmoid / tanh, TensorFlow.js's layout) unrolled over the window, then a
 * dense layer on the last hidden state. Built from tf ops so Adam's state is five plain variables.
 */
export class LstmNetwork {
  readonly variables: tfTypes.Variable[];

  constructor(
    private readonly tf: Tf,
    weights: LstmWeights,
    private readonly shape: { featureCount: number; units: number; outputs: number },
  ) {
    const prefix = `trainyard_lstm${++networkCount}`;
    const shapes = variableShapes(shape.featureCount, shape.units, shape.outputs);
    // In a tidy, so the tensors the variables start from are freed with the variables, not kept for the process's life.
    this.variables = tf.tidy(() => LSTM_VARIABLES.map((name, i) => tf.variable(tf.tensor(weights[name], shapes[i]), true, `${prefix}_${name}`)));
  }

  /** The kernels and dense weights, which l2 penalises. */
  get penalised(): tfTypes.Variable[] {
    return [this.variables[0]!, this.variables[1]!, this.variables[3]!];
  }

  /** Output pre-activations [batch, outputs] for time-major sequences [window, batch, featureCount]. */
  logits(sequences: tfTypes.Tensor3D): tfTypes.Tensor2D {
    const tf = this.tf;
    const [kernel, recurrent, bias, dense, denseBias] = this.variables as tfTypes.Tensor[];
    const [window, batch, features] = sequences.shape;
    const units = this.shape.units;
    const matMul = fastGradientMatMul(tf);
    // Every step's input projection in one matmul.
    const projected = tf.add(matMul(tf.reshape(sequences, [window * batch, features]), kernel as tfTypes.Tensor2D), bias!);
    // unstack's gradient fails on a single step (tfjs stacks a lone gradient), so a one-row window skips it.
    const steps = window === 1 ? [projected as tfTypes.Tensor2D] : (tf.unstack(tf.reshape(projected, [window, batch, 4 * units])) as tfTypes.Tensor2D[]);
    let h: tfTypes.Tensor2D = tf.zeros([batch, units]);
    let c: tfTypes.Tensor2D = tf.zeros([batch, units]);
    for (const step of steps) {
      const z = tf.add(step, matMul(h, recurrent as tfTypes.Tensor2D));
      const [i, f, g, o] = tf.split(z, 4, 1) as [tfTypes.Tensor2D, tfTypes.Tensor2D, tfTypes.Tensor2D, tfTypes.Tensor2D];
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    }
    return tf.add(matMul(h, dense as tfTypes.Tensor2D), denseBias!);
  }

  snapshot(): LstmWeights {
    const values = this.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
    return Object.fromEntries(LSTM_VARIABLES.map((name, i) => [name, values[i]!])) as unknown as LstmWeights;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
