import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { laggedSeriesCsv, sparseSignalCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { startTestStack, type TestStack } from './support/test-stack';

function r2(actual: number[], predicted: number[]): number {
  const mean = actual.reduce((a, b) => a + b, 0) / actual.length;
  const total = actual.reduce((a, v) => a + (v - mean) ** 2, 0);
  const residual = actual.reduce((a, v, i) => a + (v - predicted[i]) ** 2, 0);
  return 1 - residual / total;
}

describe('time-series features, expanding-window cross-validation and feature selection (real Temporal, real PostgreSQL)', () => {
  let stack: TestStack;
  let api: ApiClient;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
  });
  after(() => stack?.stop());

  it('cross-validates over expanding windows in time, trains on lag features and serves them from raw rows in time order', async () => {
    const { csv, inTimeOrder } = laggedSeriesCsv();
    const ds = await api.uploadDataset('lagged', csv);
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    const created = await api.post('/v1/training-jobs', {
      datasetId: ds.body.id,
      target: 'y',
      exclude: ['day'],
      validation: { method: 'time_series_cv', timeColumn: 'day', folds: 3, testSize: 0.2, validationSize: 0 },
      preprocessing: { timeFeatures: { columns: ['x'], lags: [1, 2], rollingMeans: [3] } },
      model: { type: 'xgboost', params: { numRounds: 80, maxDepth: 4 } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.preprocessing.timeFeatures, { columns: ['x'], lags: [1, 2], rollingMeans: [3] });
    const job = await api.waitForJob(created.body.id, undefined, 240_000);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));

    const cv = job.cvMetrics;
    assert.equal(cv.folds, 3);
    assert.equal(cv.perFold.length, 3);
    assert.equal(cv.timeWindows.length, 3);
    for (const w of cv.timeWindows) {
      assert.ok(w.trainTo < w.validateFrom, `no held-out row precedes a training row: ${JSON.stringify(w)}`);
      assert.ok(w.trainFrom <= w.trainTo && w.validateFrom <= w.validateTo);
    }
    for (let f = 1; f < 3; f++) {
      assert.equal(cv.timeWindows[f].trainFrom, cv.timeWindows[0].trainFrom, 'every window starts at the beginning');
      assert.ok(cv.timeWindows[f].trainTo > cv.timeWindows[f - 1].trainTo, 'and grows');
    }
    // 360 rows, 2 without a target, 20% test: 286 training rows; the last held-out block ends before the test split.
    const lastTrainingDay = Date.parse(inTimeOrder[2 + 286 - 1].day);
    assert.equal(cv.timeWindows[2].validateTo, lastTrainingDay);
    assert.ok(cv.mean.r2 > 0.8, `lags make y predictable: ${JSON.stringify(cv.mean)}`);
    assert.ok(Math.abs(cv.perFold.reduce((a: number, f: { r2: number }) => a + f.r2, 0) / 3 - cv.mean.r2) < 1e-9);
    assert.ok(job.metrics.r2 > 0.8, `test r2 ${job.metrics.r2}`);

    const version = (await api.get(`/v1/models/${job.modelVersion.name}/versions/${job.modelVersion.version}`)).body;
    assert.deepEqual(version.signature.inputs.map((i: { name: string }) => i.name), ['x', 'noise']);
    assert.deepEqual(version.lineage.timeFeatures, { timeColumn: 'day', features: ['x.lag1', 'x.lag2', 'x.rollingMean3'] });
    assert.ok(['x.lag1', 'x.lag2', 'x.rollingMean3'].includes(version.featureImportance[0].feature), JSON.stringify(version.featureImportance));

    // Callers send rows in time order with enough history; the model computes the lags over the batch.
    const recent = inTimeOrder.slice(-40);
    const predicted = await api.post(`/v1/models/${job.modelVersion.name}/predict`, { records: recent.map(({ x, noise }) => ({ x, noise })) });
    assert.equal(predicted.status, 200, JSON.stringify(predicted.body));
    const values = predicted.body.predictions.map((p: { value: number | null }) => p.value);
    assert.ok(r2(recent.slice(3).map((row) => row.y), values.slice(3)) > 0.8, 'rows with history are predicted well');

    // Batch predictions score a file in 5000-row chunks; the rows after a chunk boundary keep their history.
    const long = laggedSeriesCsv(5010, 9).inTimeOrder;
    const file = await api.uploadDataset('lagged-long', ['x,noise', ...long.map((row) => `${row.x},${row.noise}`)].join('\n') + '\n');
    const batch = await api.post(`/v1/models/${job.modelVersion.name}/batch-predict`, { datasetId: file.body.id });
    assert.equal(batch.status, 200);
    const lines = String(batch.body).trim().split('\n').slice(1);
    assert.equal(lines.length, 5010);
    const online = await api.post(`/v1/models/${job.modelVersion.name}/predict`, { records: long.slice(4990).map(({ x, noise }) => ({ x, noise })) });
    const onlineValues = online.body.predictions.map((p: { value: number }) => p.value);
    for (let i = 10; i < 20; i++) {
      const [row, value] = lines[4990 + i].split(',');
      assert.equal(Number(row), 4990 + i);
      assert.equal(Math.fround(Number(value)), Math.fround(onlineValues[i]), `row ${4990 + i}`);
    }
  });

  it('rejects time features without a time column and bad selection options at submit', async () => {
    const ds = await api.uploadDataset('lagged-bad', laggedSeriesCsv(40).csv);
    const bad = await api.post('/v1/training-jobs', {
      datasetId: ds.body.id,
      target: 'y',
      preprocessing: { timeFeatures: { columns: ['x'], lags: [0] }, featureSelection: { topK: 0 } },
      model: { type: 'xgboost' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
    const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field).sort();
    assert.deepEqual(fields, ['preprocessing.featureSelection.topK', 'preprocessing.timeFeatures.lags[0]', 'validation.timeColumn']);
  });

  it('keeps the columns a quick first fit ranks highest: the model, its signature and lineage use only those', async () => {
    const ds = await api.uploadDataset('sparse', sparseSignalCsv());
    const created = await api.post('/v1/training-jobs', {
      datasetId: ds.body.id,
      target: 'y',
      preprocessing: { featureSelection: { topK: 3, minImportance: 0.05 } },
      model: { type: 'lightgbm', params: { numRounds: 60 } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.ok(job.metrics.r2 > 0.9, `r2 ${job.metrics.r2}`);

    const version = (await api.get(`/v1/models/${job.modelVersion.name}/versions/${job.modelVersion.version}`)).body;
    assert.deepEqual(version.signature.inputs.map((i: { name: string }) => i.name), ['a', 'b']);
    assert.deepEqual(version.lineage.inputColumns, ['a', 'b']);
    const selection = version.lineage.featureSelection;
    assert.deepEqual(selection.kept, ['a', 'b']);
    assert.deepEqual([...selection.dropped].sort(), ['n1', 'n2', 'n3', 'n4']);
    assert.equal(selection.ranking.length, 6);
    assert.ok(Math.abs(selection.ranking.reduce((a: number, c: { importance: number }) => a + c.importance, 0) - 1) < 1e-6);
    assert.deepEqual(version.featureImportance.map((f: { feature: string }) => f.feature).sort(), ['a', 'b']);

    const predicted = await api.post(`/v1/models/${job.modelVersion.name}/predict`, { records: [{ a: 1, b: 1 }, { a: -1, b: 0 }] });
    assert.equal(predicted.status, 200, JSON.stringify(predicted.body));
    const [high, low] = predicted.body.predictions.map((p: { value: number }) => p.value);
    assert.ok(Math.abs(high - 4) < 0.6 && Math.abs(low + 3) < 0.6, `${high}, ${low}`);
  });
});
