import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trainingSpec } from './testing/sample-data';
import { trialJobId, trialSpec } from './study.activities';

describe('trialSpec', () => {
  it('is the study’s job with the trial’s params over its own, without the study’s tags', () => {
    const job = { ...trainingSpec({}, { numRounds: 50, maxDepth: 3 }), tags: { team: 'growth' } };
    const spec = trialSpec({ job }, { maxDepth: 6, learningRate: 0.05 });
    const { tags: _tags, ...base } = job;
    assert.deepEqual(spec, { ...base, model: { type: 'xgboost', params: { ...base.model.params, numRounds: 50, maxDepth: 6, learningRate: 0.05 } } });
    assert.equal('tags' in spec, false);
    assert.equal(job.model.params.maxDepth, 3, 'the study’s own job is left as it was');
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
