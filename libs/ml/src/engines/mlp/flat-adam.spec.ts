import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfTypes from '@tensorflow/tfjs';
import { FlatAdam } from './flat-adam';
import { MlpNetwork, initialLayers } from './mlp-network';
import { loadTf } from './tfjs-wasm';
import type { Tf } from './tfjs-wasm';

/** A few fixed batches of a two-hidden-layer binary problem, so both optimisers see the same steps. */
function batches(tf: Tf, count: number): { x: tfTypes.Tensor2D; y: tfTypes.Tensor2D }[] {
  return Array.from({ length: count }, (_, i) => {
    const x = tf.randomNormal([64, 7], 0, 1, 'float32', i) as tfTypes.Tensor2D;
    const y = tf.cast(tf.greater(tf.sum(x, 1, true), 0), 'float32') as tfTypes.Tensor2D;
    return { x, y };
  });
}

const flatWeights = (network: MlpNetwork) => network.snapshot().flatMap((l) => [...l.weights, ...l.bias]);

describe('FlatAdam', () => {
  it('steps exactly as tf.train.adam does, weights and moments bit for bit', async () => {
    const tf = await loadTf();
    const layers = initialLayers(7, [12, 5], 1, 3);
    const [ours, theirs] = [new MlpNetwork(tf, layers, 'tanh'), new MlpNetwork(tf, layers, 'tanh')];
    const flat = new FlatAdam(tf, ours.variables, 0.02);
    const adam = tf.train.adam(0.02);
    const data = batches(tf, 4);
    for (let step = 0; step < 40; step++) {
      const { x, y } = data[step % data.length]!;
      tf.tidy(() => flat.minimize(() => tf.losses.sigmoidCrossEntropy(y, ours.logits(x))));
      tf.tidy(() => void adam.minimize(() => tf.losses.sigmoidCrossEntropy(y, theirs.logits(x)), false, theirs.variables));
    }
    assert.notDeepEqual(flatWeights(ours), layers.flatMap((l) => [...l.weights, ...l.bias]), 'training moved the weights');
    assert.deepEqual(flatWeights(ours), flatWeights(theirs));

    const [iterations, ...moments] = await adam.getWeights();
    const state = await flat.state();
    assert.equal(state.adamIterations, (await iterations!.tensor.data())[0]);
    assert.equal(state.adamMoments.length, moments.length);
    for (let i = 0; i < moments.length; i++) assert.deepEqual(state.adamMoments[i], await moments[i]!.tensor.data());

    const before = tf.memory().numTensors;
    tf.tidy(() => flat.minimize(() => tf.losses.sigmoidCrossEntropy(data[0]!.y, ours.logits(data[0]!.x))));
    assert.equal(tf.memory().numTensors, before, 'a step leaves no tensors behind');
    for (const d of data) tf.dispose([d.x, d.y]);
    flat.dispose();
    adam.dispose();
    ours.dispose();
    theirs.dispose();
  });

  it('restored from its state, continues as if never stopped', async () => {
    const tf = await loadTf();
    const layers = initialLayers(7, [6], 1, 8);
    const data = batches(tf, 3);
    const train = (network: MlpNetwork, optimizer: FlatAdam, from: number, to: number) => {
      for (let step = from; step < to; step++) {
        const { x, y } = data[step % data.length]!;
        tf.tidy(() => optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(y, network.logits(x))));
      }
    };
    const straight = new MlpNetwork(tf, layers, 'relu');
    const straightAdam = new FlatAdam(tf, straight.variables, 0.05);
    train(straight, straightAdam, 0, 30);

    const first = new MlpNetwork(tf, layers, 'relu');
    const firstAdam = new FlatAdam(tf, first.variables, 0.05);
    train(first, firstAdam, 0, 17);
    const resumed = new MlpNetwork(tf, first.snapshot(), 'relu');
    const resumedAdam = new FlatAdam(tf, resumed.variables, 0.05, await firstAdam.state());
    train(resumed, resumedAdam, 17, 30);
    assert.deepEqual(flatWeights(resumed), flatWeights(straight));

    const other = new MlpNetwork(tf, initialLayers(7, [4], 1, 8), 'relu');
    assert.throws(() => new FlatAdam(tf, other.variables, 0.05, { adamIterations: 1, adamMoments: [new Float32Array(3)] }), /different network/);
    const mismatched = await resumedAdam.state();
    assert.throws(() => new FlatAdam(tf, other.variables, 0.05, mismatched), /different network/);
    for (const d of data) tf.dispose([d.x, d.y]);
    for (const o of [straightAdam, firstAdam, resumedAdam]) o.dispose();
    for (const n of [straight, first, resumed, other]) n.dispose();
  });
});
