import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stagesPassed } from './follow';

describe('stagesPassed', () => {
  it('fills in the stages a snapshot skipped, in pipeline order', () => {
    assert.deepEqual(stagesPassed('preprocess', 'evaluate'), ['train', 'evaluate']);
    assert.deepEqual(stagesPassed(null, 'preprocess'), ['load_features', 'preprocess']);
  });

  it('prints nothing for the same stage or one already passed (a retry going back)', () => {
    assert.deepEqual(stagesPassed('train', 'train'), []);
    assert.deepEqual(stagesPassed('evaluate', 'train'), []);
  });

  it('passes an unknown stage through once', () => {
    assert.deepEqual(stagesPassed('train', 'calibrate'), ['calibrate']);
    assert.deepEqual(stagesPassed('calibrate', 'calibrate'), []);
  });
});
