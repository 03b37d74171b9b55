import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { zodFieldErrors } from '../common/endpoint.interceptor';
import { TrainingJobRequest } from './training-job.dto';

function parseTrainingJobRequest(body: unknown) {
  const result = TrainingJobRequest.safeParse(body);
  if (!result.success) throw result.error;
  return result.data;
}

const DATASET = '6f1c0a52-3f43-4d59-9a4e-0c2b6c1f7d11';

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof z.ZodError, String(err));
    return [...new Set(zodFieldErrors(err).map((f) => f.field))].sort();
  }
  assert.fail('expected VALIDATION_FAILED');
}

describe('TrainingJobRequest', () => {
  it('applies the documented defaults', () => {
    const { spec, tags, notes } = parseTrainingJobRequest({ datasetId: DATASET, target: 'churned', model: { type: 'xgboost' } });
    assert.equal(spec.name, null);
    assert.equal(spec.experiment, 'default');
    assert.equal(spec.priority, 'normal');
    assert.deepEqual(spec.execution, { device: 'auto', requireGpu: false, pipeline: 'auto' });
    assert.deepEqual(spec.validation, { method: 'holdout', testSize: 0.2, validationSize: 0.1, stratify: true, folds: 5, timeColumn: null, seed: 42, horizon: null, seriesColumn: null });
    assert.equal(spec.mode, 'full');
    assert.equal(spec.from, null);
    assert.equal(spec.freezeLayers, 0);
    assert.equal(spec.dataRange, null);
    assert.equal(spec.deploy, null);
    assert.deepEqual(spec.exclude, []);
    assert.deepEqual(spec.preprocessing, { timeFeatures: null, featureSelection: null, classWeights: null, oversample: false });
    assert.equal(spec.features, null);
    assert.deepEqual([spec.label, spec.description], [null, null]);
    assert.deepEqual(tags, {});
    assert.equal(notes, null);
  });

  it('names every invalid field', () => {
    const fields = fieldsOf(() =>
      parseTrainingJobRequest({
        datasetId: 'x',
        model: { type: 'svm' },
        validation: { testSize: 0.6, validationSize: 0.5, folds: 1 },
        execution: { device: 'tpu', pipeline: 'sometimes' },
        tags: { 'a:b': 'c' },
        extra: true,
      }),
    );
    assert.deepEqual(fields, ['datasetId', 'execution.device', 'execution.pipeline', 'extra', 'model.type', 'tags.a:b', 'target', 'validation.folds', 'validation.validationSize']);
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

  it('accepts time features, time-series cross-validation and feature selection', () => {
    const { spec } = parseTrainingJobRequest({
      datasetId: DATASET,
      target: 'y',
      model: { type: 'xgboost' },
      validation: { method: 'time_series_cv', timeColumn: 'day', folds: 4 },
      preprocessing: { timeFeatures: { columns: ['sales', 'sales'], lags: [7, 1, 7] }, featureSelection: { topK: 3 } },
    });
    assert.equal(spec.validation.method, 'time_series_cv');
    assert.deepEqual(spec.preprocessing, {
      timeFeatures: { columns: ['sales'], lags: [1, 7], rollingMeans: [] },
      featureSelection: { topK: 3, minImportance: null },
      classWeights: null,
      oversample: false,
    });
  });

  it('names every invalid preprocessing field', () => {
    const body = (preprocessing: unknown, validation: unknown = { timeColumn: 'day' }) => () =>
      parseTrainingJobRequest({ datasetId: DATASET, target: 'y', model: { type: 'xgboost' }, validation, preprocessing });
    assert.deepEqual(fieldsOf(body({ timeFeatures: { columns: ['y'], lags: [0], rollingMeans: [1, 2] }, featureSelection: { topK: 0, minImportance: 1 }, other: 1 })), [
      'preprocessing.featureSelection.minImportance',
      'preprocessing.featureSelection.topK',
      'preprocessing.other',
      'preprocessing.timeFeatures.columns',
      'preprocessing.timeFeatures.lags[0]',
      'preprocessing.timeFeatures.rollingMeans[0]',
    ]);
    assert.deepEqual(fieldsOf(body({ timeFeatures: { columns: ['x'], lags: [1] } }, {})), ['validation.timeColumn']);
    assert.deepEqual(fieldsOf(body({ timeFeatures: { columns: [] } })), ['preprocessing.timeFeatures.columns', 'preprocessing.timeFeatures.lags']);
    assert.deepEqual(fieldsOf(body({ featureSelection: {} })), ['preprocessing.featureSelection.topK']);
    assert.deepEqual(fieldsOf(body('all')), ['preprocessing']);
    assert.deepEqual(fieldsOf(body(undefined, { method: 'time_series_cv' })), ['validation.timeColumn']);
  });

  it('takes a parent for every mode but full, only for the families that can train in it', () => {
    const job = (extra: Record<string, unknown>, model: unknown = { type: 'xgboost' }) => () => parseTrainingJobRequest({ datasetId: DATASET, target: 'y', model, ...extra });
    const { spec } = job({ mode: 'incremental', from: { model: 'churn', alias: 'production' } })() as ReturnType<typeof parseTrainingJobRequest>;
    assert.deepEqual([spec.mode, spec.from], ['incremental', { model: 'churn', alias: 'production' }]);
    assert.deepEqual(fieldsOf(job({ mode: 'incremental' })), ['from']);
    assert.deepEqual(fieldsOf(job({ from: { model: 'churn', version: 2 } })), ['from']);
    assert.deepEqual(fieldsOf(job({ mode: 'transfer', from: { model: 'churn', version: 2 } })), ['mode']);
    assert.deepEqual(fieldsOf(job({ mode: 'incremental', from: { model: 'churn', version: 2, alias: 'production' } })), ['from.version']);
    assert.deepEqual(fieldsOf(job({ mode: 'incremental', from: { model: 'churn', version: 2 }, freezeLayers: 1 })), ['freezeLayers']);
    assert.deepEqual(fieldsOf(job({ mode: 'transfer', from: { model: 'm', version: 1 }, freezeLayers: 1, features: ['a'], preprocessing: { featureSelection: { topK: 2 } } }, { type: 'mlp' })), [
      'features',
      'preprocessing.featureSelection',
    ]);
  });

  it('lets an ensemble_update name just the members it adds, still checking each', () => {
    const body = (members: unknown[]) => () =>
      parseTrainingJobRequest({ datasetId: DATASET, target: 'y', mode: 'ensemble_update', from: { model: 'e', version: 1 }, model: { type: 'ensemble', params: { members } } });
    assert.equal((body([{ type: 'lightgbm', params: { numRounds: 20 } }])() as ReturnType<typeof parseTrainingJobRequest>).spec.model.params.members instanceof Array, true);
    assert.deepEqual(fieldsOf(body([{ type: 'lightgbm', params: { numRounds: 0 } }])), ['model.params.members[0].params.numRounds']);
    assert.deepEqual(fieldsOf(body([])), ['model.params.members']);
    assert.deepEqual(fieldsOf(() => parseTrainingJobRequest({ datasetId: DATASET, target: 'y', model: { type: 'ensemble', params: { members: [{ type: 'lightgbm' }] } } })), ['model.params.members']);
  });

  it('forecasts with a horizon on a time column, in a data range, and takes a deploy rule', () => {
    const { spec } = parseTrainingJobRequest({
      datasetId: DATASET,
      target: 'sales',
      features: ['sales', 'price'],
      model: { type: 'lightgbm' },
      validation: { method: 'time_series', timeColumn: 'day', horizon: 7, seriesColumn: 'store' },
      dataRange: { from: '2024-01-01', to: '2024-06-30T23:59:59Z' },
      deploy: { metric: 'mae', max: 5 },
    });
    assert.deepEqual([spec.validation.horizon, spec.validation.seriesColumn], [7, 'store']);
    assert.deepEqual(spec.dataRange, { from: '2024-01-01', to: '2024-06-30T23:59:59Z' });
    assert.deepEqual(spec.deploy, { metric: 'mae', min: null, max: 5 });
    const bad = (extra: Record<string, unknown>) => () => parseTrainingJobRequest({ datasetId: DATASET, target: 'y', model: { type: 'xgboost' }, ...extra });
    assert.deepEqual(fieldsOf(bad({ validation: { horizon: 3 } })), ['validation.timeColumn']);
    assert.deepEqual(fieldsOf(bad({ validation: { timeColumn: 'day', seriesColumn: 'store' } })), ['validation.seriesColumn']);
    assert.deepEqual(fieldsOf(bad({ validation: { timeColumn: 'day', horizon: 2, seriesColumn: 's' }, preprocessing: { timeFeatures: { columns: ['x'], lags: [1] } } })), ['validation.seriesColumn']);
    assert.deepEqual(fieldsOf(bad({ dataRange: { from: '2024-02-01', to: '2024-01-01' }, validation: { timeColumn: 'day' } })), ['dataRange.to']);
    assert.deepEqual(fieldsOf(bad({ dataRange: { from: 'soon' }, validation: { timeColumn: 'day' } })), ['dataRange.from']);
    assert.deepEqual(fieldsOf(bad({ dataRange: { from: '2024-01-01' } })), ['validation.timeColumn']);
    assert.deepEqual(fieldsOf(bad({ deploy: { metric: 'rocAuc' } })), ['deploy.min']);
    assert.deepEqual(fieldsOf(bad({ task: 'regression', deploy: { metric: 'rocAuc', min: 0.8 } })), ['deploy.metric']);
  });
});
