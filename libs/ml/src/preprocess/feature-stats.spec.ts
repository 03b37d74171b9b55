import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultValidation } from '@trainyard/contracts';
import { MlError } from '../errors';
import type { Matrix } from '../matrix';
import { applyPlan } from './apply-plan';
import { prepareData, type PrepareOptions } from './prepare-data';
import { readPreparedBundle, writePreparedBundle } from './prepared-bundle';
import { syntheticRawFrame } from './synthetic-frame';

const options = (overrides: Partial<PrepareOptions> = {}): PrepareOptions => ({
  target: 'churned',
  features: null,
  exclude: ['tier', 'spend'],
  task: null,
  validation: { ...defaultValidation },
  ...overrides,
});

function columnOf(m: Matrix, c: number): number[] {
  return Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + c]);
}

describe('prepareData imputation and scaling', () => {
  const frame = syntheticRawFrame(400, 3);

  it('leaves the plan and matrices as before when both are off', () => {
    const p = prepareData(frame, options());
    assert.equal('imputeValues' in p.plan, false);
    assert.equal('scaling' in p.plan, false);
    assert.equal('weights' in p.train, false);
    assert.ok(p.train.data.some(Number.isNaN), 'trees keep NaN as missing');
  });

  it('imputes the training median, and the most frequent code for categories', () => {
    const p = prepareData(frame, options({ impute: true }));
    const plain = prepareData(frame, options());
    for (const m of [p.train, p.validation!, p.test]) assert.ok(!m.data.some(Number.isNaN));
    const amount = p.plan.featureNames.indexOf('amount');
    const present = columnOf(plain.train, amount).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const mid = present.length >> 1;
    const median = present.length % 2 ? present[mid] : (present[mid - 1] + present[mid]) / 2;
    assert.equal(p.plan.imputeValues![amount], Math.fround(median));
    assert.equal(p.plan.imputeValues![p.plan.featureNames.indexOf('plan')], 0, 'code 0 is the most frequent category');
  });

  it('standardises with training statistics and applyPlan repeats the matrices bit for bit', () => {
    const p = prepareData(frame, options({ impute: true, scaling: true }));
    for (let c = 0; c < p.train.cols; c++) {
      const values = columnOf(p.train, c);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
      assert.ok(Math.abs(mean) < 1e-4, `${p.plan.featureNames[c]} mean ${mean}`);
      assert.ok(Math.abs(std - 1) < 1e-4, `${p.plan.featureNames[c]} std ${std}`);
    }
    const all = applyPlan(p.plan, frame);
    const again = prepareData(frame, options({ impute: true, scaling: true }));
    assert.deepEqual(again.plan, JSON.parse(JSON.stringify(p.plan)), 'the plan survives JSON');
    // The test rows come out of applyPlan exactly as prepareData encoded them.
    const testRows = findRows(all, p.train.cols, p.test);
    assert.equal(testRows, p.test.rows);
  });

  it('keeps NaN through scaling when imputation is off', () => {
    const p = prepareData(frame, options({ scaling: true }));
    assert.ok(p.train.data.some(Number.isNaN));
    assert.ok(p.plan.scaling!.std.every((s) => s > 0));
  });
});

describe('prepareData class weights', () => {
  const frame = syntheticRawFrame(400, 4);

  it("'balanced' weighs each class to the same total on the training split", async () => {
    const p = prepareData(frame, options({ classWeights: 'balanced' }));
    const totals = [0, 0];
    for (let r = 0; r < p.train.rows; r++) totals[p.train.labels[r]] += p.train.weights![r];
    assert.ok(Math.abs(totals[0] - totals[1]) < 1e-3, `totals ${totals}`);
    assert.ok(Math.abs(totals[0] + totals[1] - p.train.rows) < 1e-3);
    assert.equal(p.test.weights!.length, p.test.rows);
    assert.equal(p.classWeights!.length, 2);
    const dir = await mkdtemp(join(tmpdir(), 'trainyard-weights-'));
    try {
      await writePreparedBundle(p, join(dir, 'prepared.bundle'));
      assert.deepEqual(await readPreparedBundle(join(dir, 'prepared.bundle')), p);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects class weights for regression', () => {
    assert.throws(
      () => prepareData(frame, options({ target: 'spend', exclude: ['churned', 'tier'], classWeights: 'balanced' })),
      (e: unknown) => e instanceof MlError && e.code === 'INVALID_HYPERPARAMETERS',
    );
  });
});

/** How many of m's rows appear verbatim (NaN-aware bits) among `all`'s rows. */
function findRows(all: Float32Array, cols: number, m: Matrix): number {
  const key = (row: Float32Array) => Buffer.from(row.buffer, row.byteOffset, row.byteLength).toString('hex');
  const rows = new Set<string>();
  for (let r = 0; r < all.length / cols; r++) rows.add(key(all.subarray(r * cols, (r + 1) * cols)));
  let found = 0;
  for (let r = 0; r < m.rows; r++) if (rows.has(key(m.data.subarray(r * cols, (r + 1) * cols)))) found++;
  return found;
}
