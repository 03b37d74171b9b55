import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trainingSpec } from './testing/sample-data';
import { MODEL_TYPE_PARAM, scalingsFor, trialJobId, trialSpec } from './study.activities';

describe('trialSpec', () => {
  it('is the study’s job with the trial’s params over its own, without the study’s tags', () => {
    const job = { ...trainingSpec({}, { numRounds: 50, maxDepth: 3 }), tags: { team: 'growth' } };
    const spec = trialSpec({ job }, { maxDepth: 6, learningRate: 0.05 });
    const { tags: _tags, ...base } = job;
    assert.deepEqual(spec, { ...base, model: { type: 'xgboost', params: { ...base.model.params, numRounds: 50, maxDepth: 6, learningRate: 0.05 } } });
    assert.equal('tags' in spec, false);
    assert.equal(job.model.params.maxDepth, 3, 'the study’s own job is left as it was');
  });

  it('trains the family the search chose, keeping only the job’s params of that family', () => {
    const job = trainingSpec({}, { numRounds: 50 });
    assert.deepEqual(trialSpec({ job }, { [MODEL_TYPE_PARAM]: 'linear', l2: 0.1 }).model, { type: 'linear', params: { l2: 0.1 } });
    assert.deepEqual(trialSpec({ job }, { [MODEL_TYPE_PARAM]: 'xgboost', maxDepth: 4 }).model, { type: 'xgboost', params: { ...job.model.params, maxDepth: 4 } });
  });
});

describe('scalingsFor', () => {
  const job = trainingSpec();

  it('prepares the study’s data once per input scaling its families need', () => {
    assert.deepEqual(scalingsFor({ job, searchSpace: { maxDepth: { type: 'int', low: 2, high: 8 } } }), ['raw']);
    assert.deepEqual(scalingsFor({ job: trainingSpec({ model: { type: 'mlp', params: {} } }), searchSpace: {} }), ['scaled']);
    const mixed = { [MODEL_TYPE_PARAM]: { type: 'categorical', choices: ['xgboost', 'linear', 'lightgbm', 'mlp'] } };
    assert.deepEqual(scalingsFor({ job, searchSpace: mixed }), ['raw', 'scaled']);
  });
});

describe('trialJobId', () => {
  const study = '00000000-0000-4000-8000-0000000050d1';

  it('is the same UUID for the same study and trial, so a retried start finds its job', () => {
    assert.equal(trialJobId(study, 3), trialJobId(study, 3));
    assert.match(trialJobId(study, 3), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs between trials and between studies', () => {
    const ids = new Set([trialJobId(study, 0), trialJobId(study, 1), trialJobId('00000000-0000-4000-8000-0000000050d2', 0)]);
    assert.equal(ids.size, 3);
  });
});
