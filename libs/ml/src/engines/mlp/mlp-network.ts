import type * as tfTypes from '@tensorflow/tfjs';
import { seededRandom } from '../../preprocess/seeded-random';
import type { MlpLayerWeights } from './mlp-model';
import type { MlpActivation } from './mlp-params';
import { fastGradientMatMul } from './tfjs-wasm';
import type { Tf } from './tfjs-wasm';

let networkCount = 0;

/** Glorot-uniform weights and zero biases from `seed` alone, so a run is reproducible. */
export function initialLayers(featureCount: number, hidden: number[], outputs: number, seed: number): MlpLayerWeights[] {
  const random = seededRandom(seed);
  const sizes = [featureCount, ...hidden, outputs];
  return sizes.slice(1).map((units, i) => {
    const inputs = sizes[i]!;
    const limit = Math.sqrt(6 / (inputs + units));
    const weights = Float32Array.from({ length: inputs * units }, () => (random() * 2 - 1) * limit);
    return { inputs, outputs: units, weights, bias: new Float32Array(units) };
  });
}

/** The layers as tf variables: W0, b0, W1, b1, …, the order a checkpoint keeps Adam's moments in. */
export class MlpNetwork {
  readonly variables: tfTypes.Variable[];

  constructor(
    private readonly tf: Tf,
    layers: MlpLayerWeights[],
    private readonly activation: MlpActivation,
  ) {
    const prefix = `trainyard_mlp${++networkCount}`;
    // In a tidy, so the tensors the variables start from are freed with the variables, not kept for the process's life.
    this.variables = tf.tidy(() =>
      layers.flatMap((l, i) => [
        tf.variable(tf.tensor2d(l.weights, [l.inputs, l.outputs]), true, `${prefix}_w${i}`),
        tf.variable(tf.tensor1d(l.bias), true, `${prefix}_b${i}`),
      ]),
    );
  }

  get weights(): tfTypes.Variable[] {
    return this.variables.filter((_, i) => i % 2 === 0);
  }

  /** Output-layer pre-activations; `masks[i]` (already scaled by 1/(1−rate)) multiplies hidden layer i. */
  logits(x: tfTypes.Tensor2D, masks: tfTypes.Tensor2D[] | null = null): tfTypes.Tensor2D {
    const tf = this.tf;
    const matMul = fastGradientMatMul(tf);
    const count = this.variables.length / 2;
    let h = x;
    for (let i = 0; i < count; i++) {
      h = tf.add(matMul(h, this.variables[2 * i] as tfTypes.Tensor2D), this.variables[2 * i + 1]!);
      if (i === count - 1) break;
      h = this.activation === 'relu' ? tf.relu(h) : tf.tanh(h);
      if (masks) h = tf.mul(h, masks[i]!);
    }
    return h;
  }

  snapshot(): MlpLayerWeights[] {
    const layers: MlpLayerWeights[] = [];
    for (let i = 0; i < this.variables.length; i += 2) {
      const [inputs, outputs] = this.variables[i]!.shape as [number, number];
      const weights = this.variables[i]!.dataSync() as Float32Array;
      const bias = this.variables[i + 1]!.dataSync() as Float32Array;
      layers.push({ inputs, outputs, weights: Float32Array.from(weights), bias: Float32Array.from(bias) });
    }
    return layers;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
