import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultValidation } from '@trainyard/contracts';
import type { Frame } from '../data/frame';
import { frameRecords } from '../data/frame-records';
import { applyPlan } from '../preprocess/apply-plan';
import { applyPlanToRecords } from '../preprocess/apply-plan-to-records';
import { prepareData, type PrepareOptions } from '../preprocess/prepare-data';
import type { PreprocessPlan } from '../preprocess/preprocess-plan';
import { syntheticRawFrame } from '../preprocess/synthetic-frame';
import { onnxInputSignature } from './preprocessing-graph';
import { assertSameBits, runPreprocessingGraph as runGraph } from './graph-parity';

const options = (overrides: Partial<PrepareOptions>): PrepareOptions => ({
  target: 'churned',
  features: null,
  exclude: ['tier', 'spend'],
  task: null,
  validation: { ...defaultValidation },
  ...overrides,
});

/** Rows the training split never saw: unseen categories, missing and mistyped values, absent fields. */
const ODD_RECORDS: Record<string, unknown>[] = [
  { amount: 12.5, visits: 3, active: true, plan: 'platinum', city: 'atlantis', signup: '2024-02-29T23:59:59.999Z' },
  { amount: null, visits: null, active: null, plan: null, city: null, signup: null },
  { amount: '7.25', visits: '4', active: 'false', plan: '', city: 'city-3', signup: '1969-12-31T23:59:59+02:00' },
  { plan: 'pro' },
  { amount: 'n/a', visits: 2.5, active: 'maybe', plan: 'basic', city: 3, signup: 'yesterday' },
  { amount: 1e30, visits: -1, active: false, plan: 'enterprise', city: 'city-14', signup: '1900-03-01' },
];

describe('preprocessingGraph reproduces applyPlan exactly', () => {
  const frame = syntheticRawFrame(600, 21);
  const unseen = syntheticRawFrame(300, 22);

  for (const [label, extra] of [
    ['plain', {}],
    ['imputed', { impute: true }],
    ['scaled', { scaling: true }],
    ['imputed and scaled', { impute: true, scaling: true }],
  ] as const) {
    it(`${label}: on a frame and on JSON records`, async () => {
      const { plan } = prepareData(frame, options(extra));
      assertSameBits(await runGraph(plan, unseen), applyPlan(plan, unseen), plan);
      const records = [...frameRecords(unseen).slice(0, 50), ...ODD_RECORDS];
      assertSameBits(await runGraph(plan, records), applyPlanToRecords(plan, records), plan);
    });
  }

  it('declares one raw input per column with its ONNX type', () => {
    const { plan } = prepareData(frame, options({}));
    assert.deepEqual(onnxInputSignature(plan), [
      { name: 'amount', type: 'tensor(float)', columnType: 'number' },
      { name: 'visits', type: 'tensor(float)', columnType: 'integer' },
      { name: 'active', type: 'tensor(float)', columnType: 'boolean' },
      { name: 'plan', type: 'tensor(string)', columnType: 'string' },
      { name: 'city', type: 'tensor(string)', columnType: 'string' },
      { name: 'signup', type: 'tensor(double)', columnType: 'datetime' },
    ]);
  });
});

describe('preprocessingGraph datetime parts', () => {
  const plan: PreprocessPlan = {
    version: 1,
    task: 'regression',
    target: 'y',
    inputs: [{ name: 'at', type: 'datetime' }],
    transforms: [{ column: 'at', kind: 'datetime', parts: ['epochSeconds', 'year', 'month', 'dayOfWeek'] }],
    featureNames: ['at', 'at.year', 'at.month', 'at.dayOfWeek'],
    classLabels: null,
  };
  const at = (...args: Parameters<typeof Date.UTC>) => Date.UTC(...args);

  it('matches UTC Date getters across leap days, centuries and before 1970', async () => {
    const named = [
      at(2024, 1, 29), at(2024, 2, 1) - 1, at(2000, 1, 29, 12), at(1900, 1, 28, 23, 59), at(1900, 2, 1),
      at(1970, 0, 1), at(1970, 0, 1) - 1, -0.5, -86_400_000.5, 0.5, at(1969, 11, 31, 23, 59, 59),
      at(1600, 1, 29), at(1583, 0, 1), new Date('0001-01-01T00:00:00Z').getTime(), new Date('-000001-12-31T00:00:00Z').getTime(),
      at(2100, 1, 28), at(2100, 2, 1), at(9999, 11, 31, 23, 59, 59, 999), 8.64e15, -8.64e15, 8.64e15 + 1, NaN,
    ];
    let state = 7;
    const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const sampled = Array.from({ length: 3000 }, (_, i) => (random() * 2 - 1) * (i % 3 === 0 ? 8.64e15 : 1e13));
    const values = Float64Array.from([...named, ...sampled]);
    const frame: Frame = { rowCount: values.length, columns: [{ name: 'at', type: 'datetime', nullCount: 1, values }] };

    const graph = await runGraph(plan, frame);
    assertSameBits(graph, applyPlan(plan, frame), plan);
    values.forEach((ms, r) => {
      const d = new Date(ms);
      const expected = Number.isNaN(d.getTime()) ? [NaN, NaN, NaN] : [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDay()];
      assert.deepEqual(Array.from(graph.subarray(r * 4 + 1, r * 4 + 4)), expected, `epoch ms ${ms}`);
    });
    // 2024-02-29 is a Thursday.
    assert.deepEqual(Array.from(graph.subarray(1, 4)), [2024, 2, 4]);
  });
});
