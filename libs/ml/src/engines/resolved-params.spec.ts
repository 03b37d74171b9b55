import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL_TYPES } from '@trainyard/contracts';
import { modelFamily, modelParamNames } from './model-families';

describe('resolvedParams: every family names the params it trains with', () => {
  for (const type of MODEL_TYPES) {
    it(`${type}: fills a default for every parameter but the thread count`, () => {
      const resolved = modelFamily(type).resolvedParams({}, { hasValidation: true });
      const expected = modelParamNames(type).filter((name) => name !== 'nthread');
      assert.deepEqual(Object.keys(resolved).sort(), [...expected].sort());
      assert.ok(!Object.values(resolved).includes(undefined), JSON.stringify(resolved));
    });
  }

  it('keeps what the job asked for, thread counts included, over the defaults', () => {
    const xgb = modelFamily('xgboost').resolvedParams({ maxDepth: 3, nthread: 2, seed: null }, { hasValidation: false });
    assert.deepEqual([xgb.maxDepth, xgb.nthread, xgb.learningRate, xgb.numRounds, xgb.treeMethod, xgb.seed, xgb.earlyStoppingRounds], [3, 2, 0.3, 100, 'hist', 0, null]);
    const lgb = modelFamily('lightgbm').resolvedParams({ numLeaves: 15 }, { hasValidation: false });
    assert.deepEqual([lgb.numLeaves, lgb.learningRate, lgb.featureFraction], [15, 0.1, 1]);
    const rf = modelFamily('random_forest').resolvedParams({}, { hasValidation: false });
    assert.deepEqual([rf.numTrees, rf.featureFraction, rf.baggingFraction, rf.baggingFreq], [200, 0.6, 0.632, 1]);
  });

  it('says when a network stops early: by default only with validation rows, never when asked for 0', () => {
    assert.equal(modelFamily('mlp').resolvedParams({}, { hasValidation: true }).earlyStoppingRounds, 10);
    assert.equal(modelFamily('mlp').resolvedParams({}, { hasValidation: false }).earlyStoppingRounds, null);
    assert.equal(modelFamily('mlp').resolvedParams({ earlyStoppingRounds: 0 }, { hasValidation: true }).earlyStoppingRounds, null);
    assert.equal(modelFamily('lstm').resolvedParams({}, { hasValidation: true }).earlyStoppingRounds, 5);
    assert.deepEqual(modelFamily('mlp').resolvedParams({}, { hasValidation: true }).hiddenLayers, [64, 32]);
  });

  it('resolves each member of an ensemble with its own family', () => {
    const resolved = modelFamily('ensemble').resolvedParams({ members: [{ type: 'xgboost', params: { maxDepth: 2 } }, { type: 'mlp' }] }, { hasValidation: true }) as {
      members: { type: string; params: Record<string, unknown> }[];
      method: string;
      weights: unknown;
    };
    assert.equal(resolved.method, 'average');
    assert.equal(resolved.weights, null);
    assert.deepEqual(resolved.members.map((m) => m.type), ['xgboost', 'mlp']);
    assert.equal(resolved.members[0]!.params.maxDepth, 2);
    assert.equal(resolved.members[0]!.params.learningRate, 0.3);
    assert.equal(resolved.members[1]!.params.earlyStoppingRounds, 10);
    const defaults = modelFamily('ensemble').resolvedParams({}, { hasValidation: false }) as { members: { type: string }[] };
    assert.deepEqual(defaults.members.map((m) => m.type), ['xgboost', 'lightgbm']);
  });
});
