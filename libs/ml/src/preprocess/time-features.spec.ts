import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultValidation, type TimeFeaturesSpec } from '@trainyard/contracts';
import type { Frame, NumericColumn } from '../data/frame';
import { takeRows } from '../data/take-rows';
import type { MlError } from '../errors';
import { applyPlan, encodeRows } from './apply-plan';
import { prepareData, type PrepareOptions } from './prepare-data';
import type { PreprocessPlan } from './preprocess-plan';
import { keptColumns, rankColumns } from './rank-columns';
import { syntheticRawFrame } from './synthetic-frame';
import { computeTimeFeatures } from './time-features';
import { frameTimeOrder } from './time-order';
import { assertSameBits, runPreprocessingGraph as runGraph } from '../onnx/graph-parity';

const TIME_FEATURES: TimeFeaturesSpec = { columns: ['amount', 'visits', 'active'], lags: [1, 3], rollingMeans: [2, 4] };

const options = (overrides: Partial<PrepareOptions> = {}): PrepareOptions => ({
  target: 'churned',
  features: null,
  exclude: ['tier', 'spend'],
  task: null,
  validation: { ...defaultValidation, method: 'time_series', timeColumn: 'signup' },
  timeFeatures: TIME_FEATURES,
  ...overrides,
});

/** Rows deliberately out of time order: `t` gives the order, `x` the values (one missing). */
const SMALL: Frame = {
  rowCount: 6,
  columns: [
    { name: 't', type: 'number', nullCount: 0, values: Float64Array.from([3, 1, 6, 2, 5, 4]) },
    { name: 'x', type: 'number', nullCount: 1, values: Float64Array.from([30, 10, 60, 20, NaN, 40]) },
    { name: 'y', type: 'number', nullCount: 0, values: Float64Array.from([1, 2, 3, 4, 5, 6]) },
  ],
};
const SMALL_PLAN: PreprocessPlan = {
  version: 1,
  task: 'regression',
  target: 'y',
  inputs: [{ name: 'x', type: 'number' }],
  transforms: [{ column: 'x', kind: 'numeric' }],
  timeFeatures: [
    { column: 'x', kind: 'lag', periods: 1 },
    { column: 'x', kind: 'lag', periods: 2 },
    { column: 'x', kind: 'rollingMean', window: 2 },
    { column: 'x', kind: 'rollingMean', window: 3 },
  ],
  timeColumn: 't',
  featureNames: ['x', 'x.lag1', 'x.lag2', 'x.rollingMean2', 'x.rollingMean3'],
  classLabels: null,
};

describe('lag and rolling-mean features', () => {
  it('read earlier rows in time order, NaN without enough history or with a missing value in the window', () => {
    const rows = (data: Float32Array) => Array.from({ length: 6 }, (_, r) => Array.from(data.subarray(r * 5, r * 5 + 5)));
    const byTime = rows(encodeRows(SMALL_PLAN, SMALL, null, computeTimeFeatures(SMALL_PLAN, SMALL, frameTimeOrder(SMALL, 't'))));
    // Time order is rows 1 (t=1), 3, 0, 5, 4, 2 with x = 10, 20, 30, 40, NaN, 60.
    assert.deepEqual(byTime[1], [10, NaN, NaN, NaN, NaN]);
    assert.deepEqual(byTime[3], [20, 10, NaN, 15, NaN]);
    assert.deepEqual(byTime[0], [30, 20, 10, 25, 20]);
    assert.deepEqual(byTime[5], [40, 30, 20, 35, 30]);
    assert.deepEqual(byTime[4], [NaN, 40, 30, NaN, NaN]);
    assert.deepEqual(byTime[2], [60, NaN, 40, NaN, NaN]);
    // Without an order, the rows are read as they come, as a prediction batch is.
    const asGiven = rows(applyPlan(SMALL_PLAN, SMALL));
    assert.deepEqual(asGiven[1], [10, 30, NaN, 20, NaN]);
  });

  it('prepareData appends them after the encoded columns and checks their columns', () => {
    const frame = syntheticRawFrame(400, 5);
    const { plan, train, frameRows } = prepareData(frame, options());
    const added = plan.featureNames.slice(plan.featureNames.indexOf('signup.dayOfWeek') + 1);
    assert.deepEqual(added, ['amount.lag1', 'amount.lag3', 'amount.rollingMean2', 'amount.rollingMean4', 'visits.lag1', 'visits.lag3', 'visits.rollingMean2', 'visits.rollingMean4', 'active.lag1', 'active.lag3', 'active.rollingMean2', 'active.rollingMean4']);
    assert.equal(plan.timeColumn, 'signup');
    // Each training row's amount.lag1 is the amount of the row just before it in time.
    const order = frameTimeOrder(frame, 'signup');
    const previous = new Map(Array.from(order, (row, i) => [row, i > 0 ? order[i - 1] : -1]));
    const amount = (frame.columns.find((c) => c.name === 'amount') as NumericColumn).values;
    const lag1 = plan.featureNames.indexOf('amount.lag1');
    frameRows!.train.forEach((row, r) => {
      const before = previous.get(row)!;
      const expected = before < 0 ? NaN : Math.fround(amount[before]);
      assert.ok(Object.is(train.data[r * train.cols + lag1], expected), `row ${row}`);
    });

    assert.throws(() => prepareData(frame, options({ timeFeatures: { ...TIME_FEATURES, columns: ['plan'] } })), (e: MlError) => e.code === 'DATASET_INVALID' && /plan/.test(e.message));
    assert.throws(() => prepareData(frame, options({ timeFeatures: { ...TIME_FEATURES, columns: ['nope'] } })), (e: MlError) => e.code === 'DATASET_INVALID');
    assert.throws(() => prepareData(frame, options({ validation: { ...defaultValidation } })), (e: MlError) => e.code === 'INVALID_HYPERPARAMETERS');
  });

  for (const [label, extra] of [
    ['plain', {}],
    ['imputed and scaled', { impute: true, scaling: true }],
  ] as const) {
    it(`${label}: the ONNX graph computes them over the batch exactly as TypeScript does`, async () => {
      const frame = syntheticRawFrame(500, 8);
      const { plan } = prepareData(frame, options(extra));
      const inTime = takeRows(frame, frameTimeOrder(frame, 'signup'));
      assertSameBits(await runGraph(plan, inTime), applyPlan(plan, inTime), plan);
      // A batch shorter than the longest lookback is all history-less.
      const short = takeRows(inTime, [0, 1]);
      assertSameBits(await runGraph(plan, short), applyPlan(plan, short), plan);
      assertSameBits(await runGraph(SMALL_PLAN, takeRows(SMALL, frameTimeOrder(SMALL, 't'))), encodeRows(SMALL_PLAN, takeRows(SMALL, frameTimeOrder(SMALL, 't')), null), SMALL_PLAN);
    });
  }
});

describe('feature selection by importance', () => {
  const plan = prepareData(syntheticRawFrame(200, 3), options({ timeFeatures: { columns: ['amount'], lags: [1], rollingMeans: [] } })).plan;
  // amount, visits, active, plan, city, signup (4 parts), amount.lag1
  const importance = [0.1, 0.05, 0, 0.3, 0.05, 0.1, 0.05, 0.05, 0, 0.3];

  it('adds up each raw column over its datetime parts and time features', () => {
    const ranked = rankColumns(plan, importance);
    assert.deepEqual(ranked.map((c) => c.column), ['amount', 'plan', 'signup', 'visits', 'city', 'active']);
    assert.ok(Math.abs(ranked[0].importance - 0.4) < 1e-12);
    assert.ok(Math.abs(ranked[2].importance - 0.2) < 1e-12);
  });

  it('keeps the top K, those above a share, or at least the best one', () => {
    const ranked = rankColumns(plan, importance);
    assert.deepEqual(keptColumns(ranked, { topK: 2, minImportance: null }), ['amount', 'plan']);
    assert.deepEqual(keptColumns(ranked, { topK: null, minImportance: 0.1 }), ['amount', 'plan', 'signup']);
    assert.deepEqual(keptColumns(ranked, { topK: 2, minImportance: 0.35 }), ['amount']);
    assert.deepEqual(keptColumns(ranked, { topK: null, minImportance: 0.9 }), ['amount']);
  });
});
