import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MlError } from '../../errors';
import { resolveLinearParams, validateLinearParams } from './linear-params';

describe('linear params', () => {
  it('accepts defaults and valid values', () => {
    assert.deepEqual(validateLinearParams({}), []);
    assert.deepEqual(validateLinearParams({ l2: 0, maxIterations: 5, tolerance: 1e-8, fitIntercept: false }), []);
    assert.deepEqual(resolveLinearParams({ l2: 2 }), { l2: 2, maxIterations: 100, tolerance: 1e-6, fitIntercept: true });
  });

  it('names each bad field', () => {
    const issues = validateLinearParams({ l2: -1, maxIterations: 1.5, tolerance: 0, fitIntercept: 'yes', depth: 3 });
    assert.deepEqual(
      issues.map((i) => i.field),
      ['l2', 'maxIterations', 'tolerance', 'fitIntercept', 'depth'],
    );
    assert.match(issues[0]!.message, /\[0, ∞\)/);
    assert.match(issues[1]!.message, /integer/);
    assert.match(issues[4]!.message, /unknown linear parameter/);
  });

  it('resolve throws INVALID_HYPERPARAMETERS with the field in the message', () => {
    assert.throws(
      () => resolveLinearParams({ maxIterations: 0 }),
      (err: unknown) => err instanceof MlError && err.code === 'INVALID_HYPERPARAMETERS' && /maxIterations/.test(err.message),
    );
  });
});
