import type * as tfTypes from '@tensorflow/tfjs';
import { MlError } from '../../errors';
import type { Tf } from './tfjs-wasm';

/** Adam's defaults in tf.train.adam; epsilon is the WASM backend's float32 epsilon. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

/** What a checkpoint keeps of Adam: its step count, then every variable's first moment, then every second moment. */
export interface AdamState {
  adamIterations: number;
  adamMoments: Float32Array[];
}

/**
 * Adam with tf.train.adam's arithmetic, element for element, over all the variables at once: the gradients are laid
 * end to end and the moments are two flat variables, so a step is about 40 kernels whatever the network's depth,
 * where tf.train.adam runs 15 per variable and was a third of a small network's step.
 *
 * The bias-correction powers are float32 products, as tf's are, but on resume they are rebuilt by the same
 * products rather than by pow(), so a resumed training replays the uninterrupted one bit for bit.
 */
export class FlatAdam {
  private readonly sizes: number[];
  private readonly first: tfTypes.Variable;
  private readonly second: tfTypes.Variable;
  private iterations: number;
  private accBeta1 = Math.fround(BETA1);
  private accBeta2 = Math.fround(BETA2);

  constructor(
    private readonly tf: Tf,
    private readonly variables: tfTypes.Variable[],
    private readonly learningRate: number,
    state: AdamState | null = null,
  ) {
    this.sizes = variables.map((v) => v.size);
    const moments = state?.adamMoments;
    if (moments && (moments.length !== 2 * this.sizes.length || moments.some((m, i) => m.length !== this.sizes[i % this.sizes.length]))) {
      throw new MlError('INVALID_HYPERPARAMETERS', 'startFrom has optimizer state for a different network');
    }
    const total = this.sizes.reduce((a, b) => a + b, 0);
    const flat = (from: number) => {
      const values = new Float32Array(total);
      for (let i = 0, at = 0; moments && i < this.sizes.length; at += this.sizes[i]!, i++) values.set(moments[from + i]!, at);
      return tf.tidy(() => tf.variable(tf.tensor1d(values), false));
    };
    this.first = flat(0);
    this.second = flat(this.sizes.length);
    this.iterations = state?.adamIterations ?? 0;
    for (let i = 0; i < this.iterations; i++) this.advancePowers();
  }

  /** One step down the gradient of `loss` with respect to the variables. */
  minimize(loss: () => tfTypes.Scalar): void {
    const tf = this.tf;
    const { value, grads } = tf.variableGrads(loss, this.variables);
    try {
      this.apply(grads);
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
    }
    this.iterations++;
    this.advancePowers();
  }

  private apply(grads: tfTypes.NamedTensorMap): void {
    const tf = this.tf;
    tf.tidy(() => {
      const gradient = tf.concat(
        this.variables.map((v) => {
          const g = grads[v.name];
          if (!g) throw new MlError('INTERNAL', `no gradient reaches ${v.name}`);
          return tf.reshape(g, [-1]);
        }),
      );
      // The same operations, operands and float32 constants as tf.train.adam's applyGradients, in its order.
      const first = tf.add(tf.mul(this.first, BETA1), tf.mul(gradient, 1 - BETA1));
      const second = tf.add(tf.mul(this.second, BETA2), tf.mul(tf.square(gradient), 1 - BETA2));
      const correctedFirst = tf.div(first, Math.fround(1 - this.accBeta1));
      const correctedSecond = tf.div(second, Math.fround(1 - this.accBeta2));
      this.first.assign(first);
      this.second.assign(second);
      const step = tf.mul(tf.div(correctedFirst, tf.add(tf.sqrt(correctedSecond), EPSILON)), -this.learningRate);
      tf.split(step, this.sizes).forEach((piece, i) => {
        const variable = this.variables[i]!;
        variable.assign(tf.add(tf.reshape(piece, variable.shape), variable));
      });
    });
  }

  /** The state a checkpoint keeps, per variable in the order of the constructor's list. */
  async state(): Promise<AdamState> {
    const [first, second] = await Promise.all([this.first.data() as Promise<Float32Array>, this.second.data() as Promise<Float32Array>]);
    const pieces = (flat: Float32Array) => {
      let at = 0;
      return this.sizes.map((size) => flat.slice(at, (at += size)));
    };
    return { adamIterations: this.iterations, adamMoments: [...pieces(first), ...pieces(second)] };
  }

  dispose(): void {
    this.first.dispose();
    this.second.dispose();
  }

  /** β₁ᵗ⁺¹ and β₂ᵗ⁺¹ as tf keeps them, one float32 product per step (a product of two float32s is exact in a double). */
  private advancePowers(): void {
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(BETA1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(BETA2));
  }
}
