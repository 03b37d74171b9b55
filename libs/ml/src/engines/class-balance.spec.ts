import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelType } from '@trainyard/contracts';
import type { Matrix } from '../matrix';
import { balancedClassWeights, sampleWeights } from '../preprocess/class-weights';
import { modelFamily } from './model-families';
import { seededRandom, splitTail, syntheticMatrix } from './synthetic-matrices';

/** About 5% positives: a noisy score over the first two features must clear a high threshold. */
function imbalanced(rows: number, seed: number): Matrix {
  const noise = seededRandom(seed + 1000);
  return syntheticMatrix({ rows, cols: 4, seed }, (row) => (row[0]! + 0.6 * row[1]! + 0.5 * (noise() - 0.5) > 1.05 ? 1 : 0));
}

function minorityRecall(probabilities: Float32Array, labels: Float32Array): number {
  let found = 0;
  let positives = 0;
  for (let r = 0; r < labels.length; r++) {
    if (labels[r] !== 1) continue;
    positives++;
    if (probabilities[2 * r + 1]! > 0.5) found++;
  }
  return found / positives;
}

const FAMILIES: [ModelType, Record<string, unknown>][] = [
  ['xgboost', { numRounds: 30, maxDepth: 3 }],
  ['lightgbm', { numRounds: 30 }],
  ['random_forest', { numTrees: 30 }],
  ['linear', {}],
  ['mlp', { epochs: 8, hiddenLayers: [16] }],
  // Rows are independent here, so a window of one row.
  ['lstm', { epochs: 8, units: 8, window: 1 }],
];

describe('balanced class weights raise minority recall in every family', () => {
  const { head: train, tail: test } = splitTail(imbalanced(3000, 81), 1000);
  const weighted: Matrix = { ...train, weights: sampleWeights(train.labels, balancedClassWeights(train.labels, 2)) };
  const share = train.labels.reduce((a, b) => a + b, 0) / train.rows;

  for (const [type, params] of FAMILIES) {
    it(type, async () => {
      const family = modelFamily(type);
      const recall = async (m: Matrix) => {
        const result = await family.train({ task: 'classification', numClasses: 2, train: m, params });
        return minorityRecall(await family.predict(result.model, test, 2), test.labels);
      };
      const plain = await recall(train);
      const balanced = await recall(weighted);
      console.log(`${type}: minority share ${share.toFixed(3)}; recall ${plain.toFixed(3)} unweighted, ${balanced.toFixed(3)} balanced`);
      assert.ok(balanced > plain + 0.1, `recall ${balanced} balanced vs ${plain} unweighted`);
    });
  }
});
