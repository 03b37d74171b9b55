import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MlError } from '../../errors';
import { ensembleFamily, resolveEnsembleParams, validateEnsembleParams } from './index';

describe('ensemble params', () => {
  it('fills defaults', () => {
    const p = resolveEnsembleParams({});
    assert.deepEqual(p.members, [{ type: 'xgboost', params: {} }, { type: 'lightgbm', params: {} }]);
    assert.equal(p.method, 'average');
    assert.equal(p.weights, null);
  });

  it("names each bad field, including members' own params", () => {
    const issues = validateEnsembleParams({
      members: [
        { type: 'xgboost', params: { maxDepth: 100 } },
        { type: 'lightgbm', params: { numRounds: 0, bogus: 1 } },
        { type: 'lstm' },
        { type: 'mlp', params: { dropout: 1 }, extra: true },
      ],
      method: 'voting',
      weights: [1, 2],
      depth: 3,
    });
    assert.deepEqual(
      issues.map((i) => i.field),
      ['depth', 'members[0].params.maxDepth', 'members[1].params.numRounds', 'members[1].params.bogus', 'members[2].type', 'members[3].extra', 'members[3].params.dropout', 'method', 'weights'],
    );
    assert.match(issues[4]!.message, /xgboost, lightgbm, random_forest, linear, mlp/);
    assert.match(issues.at(-1)!.message, /4 numbers/);
  });

  it('checks member count, weights and method together', () => {
    const fields = (params: Record<string, unknown>) => validateEnsembleParams(params).map((i) => `${i.field}: ${i.message}`);
    assert.deepEqual(fields({ members: [{ type: 'xgboost' }] }), ['members: must be an array of 2 to 5 members']);
    assert.deepEqual(fields({ members: new Array(6).fill({ type: 'linear' }) }), ['members: must be an array of 2 to 5 members']);
    assert.deepEqual(fields({ members: [{ type: 'xgboost' }, 'linear'] }), ['members[1]: must be an object { type, params? }']);
    assert.deepEqual(fields({ weights: [0, 0] }), ['weights: must not all be 0']);
    assert.deepEqual(fields({ weights: [1, -1] }), ['weights: must be finite non-negative numbers']);
    assert.match(fields({ method: 'stacking', weights: [1, 1] })[0]!, /only to method 'average'/);
    assert.deepEqual(fields({ members: [{ type: 'linear', params: { l2: 0.5 } }, { type: 'mlp', params: { epochs: 3 } }], weights: [1, 3], method: 'average' }), []);
  });

  it('train rejects bad member params with INVALID_HYPERPARAMETERS naming the field', async () => {
    const m = { rows: 4, cols: 1, data: new Float32Array(4), labels: new Float32Array([0, 1, 0, 1]) };
    await assert.rejects(
      ensembleFamily.train({ task: 'classification', numClasses: 2, train: m, params: { members: [{ type: 'xgboost', params: { maxDepth: -1 } }, { type: 'linear' }] } }),
      (err: unknown) => err instanceof MlError && err.code === 'INVALID_HYPERPARAMETERS' && /members\[0\]\.params\.maxDepth/.test(err.message),
    );
  });
});
