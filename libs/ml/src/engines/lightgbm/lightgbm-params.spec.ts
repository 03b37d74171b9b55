import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MlError } from '../../errors';
import { resolveLightGBMParams, validateLightGBMParams } from './lightgbm-params';
import { resolveRandomForestParams, validateRandomForestParams } from './random-forest-params';

describe('validateLightGBMParams', () => {
  it('accepts the documented camelCase parameters', () => {
    assert.deepEqual(
      validateLightGBMParams({ numRounds: 10, learningRate: 1, numLeaves: 2, maxDepth: -1, featureFraction: 0.5, baggingFraction: 1, baggingFreq: 0, lambdaL1: 0, seed: 3 }),
      [],
    );
  });

  it('names unknown keys, wrong types and out-of-range values', () => {
    const issues = validateLightGBMParams({ num_leaves: 3, numLeaves: 1, numRounds: 1.5, learningRate: 0, featureFraction: '0.5', maxDepth: -2 });
    assert.deepEqual(issues.map((i) => i.field).sort(), ['featureFraction', 'learningRate', 'maxDepth', 'numLeaves', 'numRounds', 'num_leaves']);
    assert.match(issues.find((i) => i.field === 'learningRate')!.message, /\(0, 1\]/);
    assert.match(issues.find((i) => i.field === 'numRounds')!.message, /integer/);
  });
});

describe('resolveLightGBMParams', () => {
  it('applies defaults and maps to LightGBM names', () => {
    const resolved = resolveLightGBMParams({ learningRate: 0.05, lambdaL2: 2, earlyStoppingRounds: 5 });
    assert.equal(resolved.numRounds, 100);
    assert.equal(resolved.earlyStoppingRounds, 5);
    assert.deepEqual(Object.fromEntries(resolved.native), {
      boosting: 'gbdt', learning_rate: '0.05', num_leaves: '31', max_depth: '-1', min_data_in_leaf: '20', max_bin: '255', seed: '0', lambda_l2: '2',
    });
  });

  it('throws INVALID_HYPERPARAMETERS with every issue', () => {
    assert.throws(
      () => resolveLightGBMParams({ maxBin: 1 }),
      (err: unknown) => err instanceof MlError && err.code === 'INVALID_HYPERPARAMETERS' && /maxBin/.test(err.message),
    );
  });
});

describe('random forest params', () => {
  it('uses numTrees and forest defaults', () => {
    const resolved = resolveRandomForestParams({ numTrees: 50 });
    assert.equal(resolved.numRounds, 50);
    const native = Object.fromEntries(resolved.native);
    assert.equal(native.boosting, 'rf');
    assert.equal(native.bagging_fraction, '0.632');
    assert.equal(native.bagging_freq, '1');
    assert.equal(native.feature_fraction, '0.6');
  });

  it('rejects numRounds and forests without any randomness', () => {
    assert.deepEqual(validateRandomForestParams({ numRounds: 5 }).map((i) => i.field), ['numRounds']);
    assert.deepEqual(validateRandomForestParams({ baggingFreq: 0, featureFraction: 1 }).map((i) => i.field), ['baggingFraction']);
    assert.deepEqual(validateRandomForestParams({ baggingFreq: 0, featureFraction: 0.5 }), []);
  });
});
