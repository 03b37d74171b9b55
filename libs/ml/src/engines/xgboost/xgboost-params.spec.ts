import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MlError } from '../../errors';
import { resolveXGBoostParams, validateXGBoostParams } from './xgboost-params';

describe('validateXGBoostParams', () => {
  it('accepts the documented camelCase parameters', () => {
    assert.deepEqual(
      validateXGBoostParams({ numRounds: 10, maxDepth: 0, learningRate: 1, subsample: 0.5, colsampleBytree: 1, treeMethod: 'hist', seed: 3 }),
      [],
    );
  });

  it('names unknown keys, wrong types and out-of-range values', () => {
    const issues = validateXGBoostParams({ max_depth: 3, maxDepth: 65, numRounds: 1.5, learningRate: 0, subsample: '0.5', treeMethod: 'gpu_hist' });
    assert.deepEqual(issues.map((i) => i.field).sort(), ['learningRate', 'maxDepth', 'max_depth', 'numRounds', 'subsample', 'treeMethod']);
    assert.match(issues.find((i) => i.field === 'learningRate')!.message, /\(0, 1\]/);
    assert.match(issues.find((i) => i.field === 'numRounds')!.message, /integer/);
  });
});

describe('resolveXGBoostParams', () => {
  it('applies defaults and maps to XGBoost names', () => {
    const resolved = resolveXGBoostParams({ learningRate: 0.1, regLambda: 2, earlyStoppingRounds: 5 });
    assert.equal(resolved.numRounds, 100);
    assert.equal(resolved.earlyStoppingRounds, 5);
    assert.deepEqual(Object.fromEntries(resolved.native), { max_depth: '6', eta: '0.1', tree_method: 'hist', lambda: '2' });
  });

  it('throws INVALID_HYPERPARAMETERS with every issue', () => {
    assert.throws(
      () => resolveXGBoostParams({ maxDepth: -1 }),
      (err: unknown) => err instanceof MlError && err.code === 'INVALID_HYPERPARAMETERS' && Array.isArray(err.details.issues),
    );
  });
});
