import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MlError } from '../../errors';
import { MLP_DEFAULT_PATIENCE, resolveMlpParams, validateMlpParams } from './mlp-params';

describe('mlp params', () => {
  it('fills defaults', () => {
    const p = resolveMlpParams({ epochs: 3 });
    assert.deepEqual(p.hiddenLayers, [64, 32]);
    assert.equal(p.activation, 'relu');
    assert.equal(p.learningRate, 0.001);
    assert.equal(p.epochs, 3);
    assert.equal(p.batchSize, 256);
    assert.equal(p.earlyStoppingRounds, null, 'no validation set, no early stopping');
    assert.equal(resolveMlpParams({}, true).earlyStoppingRounds, MLP_DEFAULT_PATIENCE);
    assert.equal(resolveMlpParams({ earlyStoppingRounds: 3 }, true).earlyStoppingRounds, 3);
    assert.equal(resolveMlpParams({ earlyStoppingRounds: 0 }, true).earlyStoppingRounds, null, '0 turns it off');
  });

  it('names each bad field', () => {
    const issues = validateMlpParams({
      hiddenLayers: [64, 0],
      activation: 'sigmoid',
      learningRate: 0,
      epochs: 2.5,
      batchSize: 0,
      dropout: 1,
      earlyStoppingRounds: -1,
      seed: -1,
      momentum: 0.9,
    });
    assert.deepEqual(
      issues.map((i) => i.field),
      ['hiddenLayers', 'activation', 'learningRate', 'epochs', 'batchSize', 'dropout', 'earlyStoppingRounds', 'seed', 'momentum'],
    );
    assert.match(issues[0]!.message, /entry 1/);
    assert.match(issues[1]!.message, /relu, tanh/);
    assert.match(issues[5]!.message, /\[0, 1\)/);
    assert.deepEqual(validateMlpParams({ hiddenLayers: 'wide' }).map((i) => i.message), ['must be an array of integers']);
  });

  it('resolve throws INVALID_HYPERPARAMETERS naming the field', () => {
    assert.throws(
      () => resolveMlpParams({ batchSize: -4 }),
      (err: unknown) => err instanceof MlError && err.code === 'INVALID_HYPERPARAMETERS' && /batchSize/.test(err.message),
    );
  });
});
