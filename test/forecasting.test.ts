import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { regressionCsv, rng } from './support/datasets';
import { ApiClient } from './support/http';
import { logMessages } from './support/jobs';
import { startTestStack, type TestStack } from './support/test-stack';

const DAYS = 200;
const HORIZON = 3;
const dayOf = (d: number) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);

/**
 * Daily sales of three stores, in shuffled file order: each store's level, a strong weekly cycle and a little noise.
 * Sales three days ahead depend on the day of the week then, so a model that really forecasts h rows ahead beats one
 * that predicts the row's own sales.
 */
function storeSales(): { csv: string; sales: Map<string, number[]> } {
  const r = rng(41);
  const levels: Record<string, number> = { north: 100, south: 200, east: 150 };
  const sales = new Map<string, number[]>();
  const rows: string[] = [];
  for (const [store, level] of Object.entries(levels)) {
    const series: number[] = [];
    for (let d = 0; d < DAYS; d++) series.push(Number((level + 25 * Math.sin((2 * Math.PI * d) / 7) + 0.05 * d + (r() - 0.5) * 4).toFixed(2)));
    sales.set(store, series);
    series.forEach((value, d) => rows.push(`${dayOf(d)},${store},${value}`));
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return { csv: ['day,store,sales', ...rows].join('\n') + '\n', sales };
}

function r2(actual: number[], predicted: number[]): number {
  const mean = actual.reduce((a, b) => a + b, 0) / actual.length;
  const total = actual.reduce((a, v) => a + (v - mean) ** 2, 0);
  return 1 - actual.reduce((a, v, i) => a + (v - predicted[i]) ** 2, 0) / total;
}

describe('forecasting: a horizon per series and a training period, honoured by batch prediction (real Temporal, PostgreSQL, S3)', () => {
  let stack: TestStack;
  let api: ApiClient;
  let model: { name: string; version: number };
  let datasetId: string;
  const { csv, sales } = storeSales();

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
  });
  after(() => stack?.stop());

  it('learns each store’s sales three days ahead, trained on the chosen period only', async () => {
    const ds = await api.uploadDataset('store-sales', csv);
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    datasetId = ds.body.id;
    const created = await api.post('/v1/training-jobs', {
      datasetId,
      target: 'sales',
      model: { type: 'xgboost', params: { numRounds: 150, maxDepth: 4, learningRate: 0.1 } },
      validation: { method: 'time_series', timeColumn: 'day', horizon: HORIZON, seriesColumn: 'store', testSize: 0.15, validationSize: 0.1 },
      dataRange: { from: dayOf(20), to: dayOf(DAYS - 1) },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.dataRange, { from: dayOf(20), to: dayOf(DAYS - 1) });
    assert.equal(created.body.validation.horizon, HORIZON);
    const job = await api.waitForJob(created.body.id, undefined, 300_000);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    model = job.modelVersion;

    // 20 days before the range, and the last 3 days of each store (no target 3 days on), are left out.
    const logs = await logMessages(api, job.id);
    assert.ok(logs.some((l) => l.message.includes(`${3 * (20 + HORIZON)} rows left out`)), JSON.stringify(logs.map((l) => l.message)));

    const version = (await api.get(`/v1/models/${model.name}/versions/${model.version}`)).body;
    assert.deepEqual(version.lineage.forecast, { horizon: HORIZON, timeColumn: 'day', seriesColumn: 'store' });
    assert.deepEqual(version.lineage.dataRange, { timeColumn: 'day', from: dayOf(20), to: dayOf(DAYS - 1) });
    assert.deepEqual(version.signature.inputs.map((i: { name: string }) => i.name).sort(), ['day', 'sales', 'store'], 'today’s sales are an input');

    // The last days before the horizon runs out: each record is a store's day; the forecast is its sales 3 days later.
    const records: { day: string; store: string; sales: number }[] = [];
    const later: number[] = [];
    const same: number[] = [];
    for (const [store, series] of sales) {
      for (let d = DAYS - 30; d < DAYS - HORIZON; d++) {
        records.push({ day: dayOf(d), store, sales: series[d] });
        later.push(series[d + HORIZON]);
        same.push(series[d]);
      }
    }
    const predicted = await api.post(`/v1/models/${model.name}/predict`, { records });
    assert.equal(predicted.status, 200, JSON.stringify(predicted.body));
    const values = predicted.body.predictions.map((p: { value: number }) => p.value);
    const ahead = r2(later, values);
    const sameDay = r2(same, values);
    console.log(`forecast r2 against sales ${HORIZON} days later ${ahead.toFixed(3)}, against the same day's ${sameDay.toFixed(3)}`);
    assert.ok(ahead > 0.9, `r2 ${ahead}`);
    assert.ok(ahead > sameDay + 0.1, `the forecast is for ${HORIZON} days on, not the row's own day: ${ahead} vs ${sameDay}`);
  });

  it('batch-predicts a time range of a file, saying how far ahead its predictions are', async () => {
    const all = await api.post(`/v1/models/${model.name}/batch-predict`, { datasetId });
    assert.equal(all.status, 200);
    assert.equal(all.headers.get('x-forecast-horizon'), String(HORIZON));
    const allLines = String(all.body).trim().split('\n');
    assert.equal(allLines.length, 1 + 3 * DAYS);

    const from = dayOf(150);
    const to = dayOf(159);
    const ranged = await api.post(`/v1/models/${model.name}/batch-predict`, { datasetId, dataRange: { from, to } });
    assert.equal(ranged.status, 200, String(ranged.body));
    const lines = String(ranged.body).trim().split('\n');
    assert.equal(lines[0], 'row,value');
    assert.equal(lines.length, 1 + 3 * 10, 'ten days of three stores');
    const fileRows = csv.trim().split('\n').slice(1);
    const byRow = new Map(allLines.slice(1).map((l) => l.split(',') as [string, string]));
    for (const line of lines.slice(1)) {
      const [row, value] = line.split(',');
      const day = fileRows[Number(row)].split(',')[0];
      assert.ok(day >= from && day <= to, `row ${row} is on ${day}`);
      assert.equal(value, byRow.get(row), 'the same prediction as without the range');
    }

    const form = new FormData();
    form.set('file', new Blob([csv]), 'sales.csv');
    form.set('from', from);
    form.set('to', to);
    const uploaded = await api.request('POST', `/v1/models/${model.name}/batch-predict`, form);
    assert.equal(uploaded.status, 200, String(uploaded.body));
    assert.deepEqual(String(uploaded.body).trim().split('\n'), lines);
  });

  it('may derive lags from the target it forecasts, computed in the exported model too', async () => {
    const north = sales.get('north')!;
    const ds = await api.uploadDataset('north-sales', ['day,sales', ...north.map((v, d) => `${dayOf(d)},${v}`)].join('\n') + '\n');
    const created = await api.post('/v1/training-jobs', {
      name: 'north-forecast',
      datasetId: ds.body.id,
      target: 'sales',
      model: { type: 'xgboost', params: { numRounds: 100, maxDepth: 3, learningRate: 0.1 } },
      validation: { method: 'time_series', timeColumn: 'day', horizon: HORIZON, validationSize: 0 },
      // Sales 3 days on are the sales of 4 days ago, a week later: the lag the model needs.
      preprocessing: { timeFeatures: { columns: ['sales'], lags: [4, 7] } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const job = await api.waitForJob(created.body.id, undefined, 300_000);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.ok(job.metrics.r2 > 0.9, `r2 ${job.metrics.r2}`);
    const version = (await api.get(`/v1/models/north-forecast/versions/${job.modelVersion.version}`)).body;
    assert.deepEqual(version.lineage.timeFeatures.features, ['sales.lag4', 'sales.lag7']);
  });

  it('refuses what cannot be forecast or ranged, at submit and at batch prediction', async () => {
    const fields = async (body: Record<string, unknown>) => {
      const res = await api.post('/v1/training-jobs', { datasetId, target: 'sales', model: { type: 'xgboost' }, ...body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      return res.body.error.details.fields.map((f: { field: string }) => f.field).sort();
    };
    assert.deepEqual(await fields({ validation: { timeColumn: 'day', horizon: 2, seriesColumn: 'shop' } }), ['validation.seriesColumn']);
    assert.deepEqual(await fields({ validation: { timeColumn: 'day', horizon: 0 } }), ['validation.horizon']);
    const houses = await api.uploadDataset('houses-range', regressionCsv(120, 4));
    const numeric = await api.post('/v1/training-jobs', { datasetId: houses.body.id, target: 'price', model: { type: 'xgboost' }, validation: { timeColumn: 'rooms' }, dataRange: { from: '2024-01-01' } });
    assert.equal(numeric.status, 400, JSON.stringify(numeric.body));
    assert.deepEqual(numeric.body.error.details.fields.map((f: { field: string }) => f.field), ['dataRange.from']);

    const plain = await api.post('/v1/training-jobs', { name: 'houses-plain', datasetId: houses.body.id, target: 'price', model: { type: 'xgboost', params: { numRounds: 5 } } });
    const done = await api.waitForJob(plain.body.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    const noTime = await api.post('/v1/models/houses-plain/batch-predict', { datasetId: houses.body.id, dataRange: { from: 1 } });
    assert.equal(noTime.status, 400);
    assert.equal(noTime.body.error.details.fields[0].field, 'dataRange');
    const badBound = await api.post(`/v1/models/${model.name}/batch-predict`, { datasetId, dataRange: { from: 'yesterday' } });
    assert.equal(badBound.status, 400);
    assert.equal(badBound.body.error.details.fields[0].field, 'dataRange.from');
  });
});
