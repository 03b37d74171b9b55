import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultValidation, type ValidationSpec } from '@trainyard/contracts';
import { stringColumn, stringValues, type Frame, type FrameColumn, type StringColumn } from '../data/frame';
import { MlError } from '../errors';
import { learnedTarget, timeBound } from './forecast-target';
import { prepareData, type PrepareOptions } from './prepare-data';

const DAY = 86_400_000;
const num = (name: string, values: number[], type: 'number' | 'datetime' = 'number'): FrameColumn => ({ name, type, nullCount: 0, values: Float64Array.from(values) });

/** Two interleaved daily series in shuffled row order: store a sells 100 + day, store b 200 + day. */
function twoStores(days: number): Frame {
  const rows: { day: number; store: string; sales: number }[] = [];
  for (let d = 0; d < days; d++) for (const store of ['a', 'b']) rows.push({ day: d, store, sales: (store === 'a' ? 100 : 200) + d });
  // A fixed shuffle: reversed, then every third row moved to the front.
  const order = [...rows].reverse();
  const shuffled = [...order.filter((_, i) => i % 3 === 0), ...order.filter((_, i) => i % 3 !== 0)];
  return {
    rowCount: shuffled.length,
    columns: [
      num('day', shuffled.map((r) => Date.UTC(2024, 0, 1) + r.day * DAY), 'datetime'),
      stringColumn('store', shuffled.map((r) => r.store)),
      num('sales', shuffled.map((r) => r.sales)),
      num('noise', shuffled.map((_, i) => (i * 7919) % 13)),
    ],
  };
}

const options = (validation: Partial<ValidationSpec>, extra: Partial<PrepareOptions> = {}): PrepareOptions => ({
  target: 'sales',
  features: null,
  exclude: [],
  task: 'regression',
  validation: { ...defaultValidation, method: 'time_series', timeColumn: 'day', validationSize: 0, ...validation },
  ...extra,
});

describe('learnedTarget', () => {
  it('gives each row the target h rows later in time within its own series, and nothing where there is none', () => {
    const frame = twoStores(10);
    const sales = frame.columns[2] as FrameColumn & { values: Float64Array };
    const shifted = learnedTarget(frame, sales, { timeColumn: 'day', bounds: null, forecast: { horizon: 3, timeColumn: 'day', seriesColumn: 'store' } });
    const day = frame.columns[0] as { values: Float64Array };
    const store = stringValues(frame.columns[1] as StringColumn);
    for (let r = 0; r < frame.rowCount; r++) {
      const d = (day.values[r] - Date.UTC(2024, 0, 1)) / DAY;
      const value = (shifted as { values: Float64Array }).values[r];
      if (d + 3 >= 10) assert.ok(Number.isNaN(value), `day ${d} of store ${store[r]} has no target 3 days later`);
      else assert.equal(value, (store[r] === 'a' ? 100 : 200) + d + 3, `day ${d} of store ${store[r]}`);
    }
    assert.equal(shifted.nullCount, 6);
  });

  it('without a series column shifts over all rows in time order', () => {
    const frame = twoStores(4);
    const shifted = learnedTarget(frame, frame.columns[2], { timeColumn: 'day', bounds: null, forecast: { horizon: 1, timeColumn: 'day', seriesColumn: null } });
    // Rows tied in time keep their row order; every row but the last in time has a successor.
    assert.equal(shifted.nullCount, 1);
  });

  it('restricts the target to the data range, shifting only within it', () => {
    const frame = twoStores(10);
    const bounds = { from: Date.UTC(2024, 0, 3), to: Date.UTC(2024, 0, 6) };
    const ranged = learnedTarget(frame, frame.columns[2], { timeColumn: 'day', bounds, forecast: null });
    assert.equal(frame.rowCount - ranged.nullCount, 8, 'days 2..5 of both stores');
    const both = learnedTarget(frame, frame.columns[2], { timeColumn: 'day', bounds, forecast: { horizon: 2, timeColumn: 'day', seriesColumn: 'store' } });
    assert.equal(frame.rowCount - both.nullCount, 4, 'days 2 and 3 have a target two days later inside the range');
  });

  it('shifts string targets by code', () => {
    const frame: Frame = { rowCount: 4, columns: [num('t', [3, 1, 2, 0]), stringColumn('state', ['d', 'b', 'c', 'a'])] };
    const shifted = learnedTarget(frame, frame.columns[1], { timeColumn: 't', bounds: null, forecast: { horizon: 1, timeColumn: 't', seriesColumn: null } });
    assert.deepEqual(stringValues(shifted as StringColumn), [null, 'c', 'd', 'b']);
  });
});

describe('timeBound', () => {
  it('reads ISO date-times as epoch ms, numbers as themselves, and refuses anything else', () => {
    assert.equal(timeBound('2024-01-02', 0), Date.UTC(2024, 0, 2));
    assert.equal(timeBound('2024-01-02T03:04:05Z', 0), Date.UTC(2024, 0, 2, 3, 4, 5));
    assert.equal(timeBound(17, 0), 17);
    assert.equal(timeBound('17.5', 0), 17.5);
    assert.equal(timeBound(null, -Infinity), -Infinity);
    assert.throws(() => timeBound('next tuesday', 0), (e: unknown) => e instanceof MlError && e.code === 'INVALID_HYPERPARAMETERS');
  });
});

describe('prepareData: forecasting and data ranges', () => {
  it('learns the target h rows ahead per series, keeps the target as an input and records the forecast in the plan', () => {
    const frame = twoStores(30);
    const prepared = prepareData(frame, options({ horizon: 2, seriesColumn: 'store' }));
    assert.deepEqual(prepared.plan.forecast, { horizon: 2, timeColumn: 'day', seriesColumn: 'store' });
    assert.ok(prepared.plan.inputs.some((i) => i.name === 'sales'), 'today’s sales are an input');
    assert.equal(prepared.droppedRows, 4, 'the last two days of each store have no target');
    const salesAt = prepared.featureNames.indexOf('sales');
    for (const m of [prepared.train, prepared.test]) {
      for (let r = 0; r < m.rows; r++) assert.equal(m.labels[r], m.data[r * m.cols + salesAt] + 2, 'the label is the same store’s sales two days later');
    }
  });

  it('trains and tests only on rows in the data range', () => {
    const frame = twoStores(30);
    const prepared = prepareData(frame, options({}, { dataRange: { from: '2024-01-11', to: '2024-01-20' }, exclude: ['noise'] }));
    assert.equal(prepared.train.rows + prepared.test.rows, 20);
    const dayAt = prepared.featureNames.indexOf('day');
    for (const m of [prepared.train, prepared.test]) {
      for (let r = 0; r < m.rows; r++) {
        const seconds = m.data[r * m.cols + dayAt];
        assert.ok(seconds >= Date.UTC(2024, 0, 11) / 1000 - 200 && seconds <= Date.UTC(2024, 0, 20) / 1000 + 200, `day ${new Date(seconds * 1000).toISOString()}`);
      }
    }
    assert.throws(
      () => prepareData(frame, options({}, { dataRange: { from: '2030-01-01', to: null } })),
      (e: unknown) => e instanceof MlError && e.code === 'INSUFFICIENT_DATA' && /data range/.test(e.message),
    );
  });
});

describe('prepareData with a parent plan', () => {
  const classes = (labels: string[], x: number[]): Frame => ({ rowCount: x.length, columns: [num('x', x), stringColumn('c', labels.map((l) => l)), stringColumn('y', labels)] });

  it('encodes new data with the parent’s vocabularies and statistics instead of fitting its own', () => {
    const first = classes(Array.from({ length: 60 }, (_, i) => (i % 2 ? 'yes' : 'no')), Array.from({ length: 60 }, (_, i) => i));
    const parent = prepareData(first, { target: 'y', features: ['x'], exclude: [], task: null, validation: defaultValidation, scaling: true, impute: true });
    const later = classes(Array.from({ length: 40 }, (_, i) => (i % 4 ? 'no' : 'yes')), Array.from({ length: 40 }, (_, i) => 1000 + i));
    const child = prepareData(later, { target: 'y', features: null, exclude: [], task: null, validation: defaultValidation, plan: parent.plan, keepClassLabels: true });
    assert.deepEqual(child.plan.scaling, parent.plan.scaling, 'the parent’s scaling, not one fitted on x ≥ 1000');
    assert.deepEqual(child.featureNames, ['x']);
    assert.ok(child.train.data.every((v) => v > 10), 'large x stay large on the parent’s scale');
    assert.deepEqual(child.classLabels, ['no', 'yes']);
  });

  it('keeps the parent’s classes, refusing a label it does not know, unless the classes may change (transfer)', () => {
    const labels = ['b', 'c', 'a'];
    const first = classes(Array.from({ length: 60 }, (_, i) => labels[i % 3]), Array.from({ length: 60 }, (_, i) => i));
    const parent = prepareData(first, { target: 'y', features: ['x'], exclude: [], task: null, validation: { ...defaultValidation, stratify: false } });
    assert.deepEqual(parent.classLabels, ['a', 'b', 'c']);
    const twoOfThem = classes(Array.from({ length: 40 }, (_, i) => (i % 2 ? 'c' : 'b')), Array.from({ length: 40 }, (_, i) => i));
    const child = prepareData(twoOfThem, { target: 'y', features: null, exclude: [], task: null, validation: defaultValidation, plan: parent.plan, keepClassLabels: true });
    assert.deepEqual(child.classLabels, ['a', 'b', 'c'], 'class indices stay the parent’s');
    assert.ok(child.train.labels.every((l) => l === 1 || l === 2));
    const unknown = classes(Array.from({ length: 40 }, (_, i) => (i % 2 ? 'c' : 'z')), Array.from({ length: 40 }, (_, i) => i));
    assert.throws(
      () => prepareData(unknown, { target: 'y', features: null, exclude: [], task: null, validation: defaultValidation, plan: parent.plan, keepClassLabels: true }),
      (e: unknown) => e instanceof MlError && e.code === 'INVALID_HYPERPARAMETERS' && /z/.test(e.message),
    );
    const transferred = prepareData(unknown, { target: 'y', features: null, exclude: [], task: null, validation: defaultValidation, plan: parent.plan });
    assert.deepEqual(transferred.classLabels, ['c', 'z']);
    assert.deepEqual(transferred.plan.classLabels, ['c', 'z']);
  });
});
