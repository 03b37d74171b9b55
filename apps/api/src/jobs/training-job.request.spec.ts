import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../common/api-error';
import { parseTrainingJobRequest } from './training-job.request';

const DATASET = '6f1c0a52-3f43-4d59-9a4e-0c2b6c1f7d11';

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 'VALIDATION_FAILED');
    return (err.details.fields as { field: string }[]).map((f) => f.field).sort();
  }
  assert.fail('expected VALIDATION_FAILED');
}

describe('parseTrainingJobRequest', () => {
  it('applies the documented defaults', () => {
    const { spec, tags, notes } = parseTrainingJobRequest({ datasetId: DATASET, target: 'churned', model: { type: 'xgboost' } });
    assert.equal(spec.name, null);
    assert.equal(spec.experiment, 'default');
    assert.equal(spec.priority, 'normal');
    assert.deepEqual(spec.execution, { device: 'auto', requireGpu: false });
    assert.deepEqual(spec.validation, { method: 'holdout', testSize: 0.2, validationSize: 0.1, stratify: true, folds: 5, timeColumn: null, seed: 42 });
    assert.deepEqual(spec.exclude, []);
    assert.equal(spec.features, null);
    assert.deepEqual(tags, {});
    assert.equal(notes, null);
  });

  it('names every invalid field', () => {
    const fields = fieldsOf(() =>
      parseTrainingJobRequest({
        datasetId: 'x',
        model: { type: 'svm' },
        validation: { testSize: 0.6, validationSize: 0.5, folds: 1 },
        execution: { device: 'tpu' },
        tags: { 'a:b': 'c' },
        extra: true,
      }),
    );
    assert.deepEqual(fields, ['datasetId', 'execution.device', 'extra', 'model.type', 'tags.a:b', 'target', 'validation.folds', 'validation.validationSize']);
  });

  it('refuses requireGpu on the cpu device and the target among the features', () => {
    assert.deepEqual(
      fieldsOf(() => parseTrainingJobRequest({ datasetId: DATASET, target: 'y', features: ['y', 'x'], model: { type: 'xgboost' }, execution: { device: 'cpu', requireGpu: true } })),
      ['execution.requireGpu', 'features'],
    );
  });

  it('checks XGBoost params against their schema', () => {
    assert.deepEqual(fieldsOf(() => parseTrainingJobRequest({ datasetId: DATASET, target: 'y', model: { type: 'xgboost', params: { maxDepth: 'deep', numRounds: 0 } } })), [
      'model.params.maxDepth',
      'model.params.numRounds',
    ]);
  });
});
