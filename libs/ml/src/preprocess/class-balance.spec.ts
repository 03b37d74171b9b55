import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultValidation, type ValidationSpec } from '@trainyard/contracts';
import { stringColumn, type Frame } from '../data/frame';
import { MlError } from '../errors';
import { prepareData, type PrepareOptions } from './prepare-data';
import { seededRandom } from './seeded-random';

/** 1000 rows, 95% "ok" and 5% "fraud", with a numeric feature, an id, and a time column in row order. */
function fraudFrame(): Frame {
  const random = seededRandom(5);
  const n = 1000;
  const label = Array.from({ length: n }, () => (random() < 0.05 ? 'fraud' : 'ok'));
  return {
    rowCount: n,
    columns: [
      { name: 'id', type: 'integer', nullCount: 0, values: Float64Array.from({ length: n }, (_, i) => i) },
      { name: 'amount', type: 'number', nullCount: 0, values: Float64Array.from(label, (l) => (l === 'fraud' ? 5 : 1) + random()) },
      { name: 'at', type: 'datetime', nullCount: 0, values: Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * 60_000) },
      stringColumn('label', label),
    ],
  };
}

const options = (overrides: Partial<PrepareOptions> = {}, validation: Partial<ValidationSpec> = {}): PrepareOptions => ({
  target: 'label',
  features: ['amount', 'id'],
  exclude: [],
  task: null,
  validation: { ...defaultValidation, ...validation },
  ...overrides,
});

/** The id feature (column 0, frame order) of each row: ids are frame rows, so a matrix row can be traced to its source. */
const ids = (m: { rows: number; cols: number; data: Float32Array }) => Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols]!);

describe('class distribution', () => {
  it('counts rows per label and the largest over the smallest class', () => {
    const p = prepareData(fraudFrame(), options());
    const { counts, imbalanceRatio } = p.classDistribution!;
    assert.deepEqual(Object.keys(counts), ['fraud', 'ok']);
    assert.equal(counts.fraud! + counts.ok!, 1000);
    assert.equal(imbalanceRatio, counts.ok! / counts.fraud!);
    assert.ok(imbalanceRatio > 15, `ratio ${imbalanceRatio}`);
    assert.equal(p.classDistribution!.oversampledTrainCounts, undefined);
    assert.equal(prepareData(fraudFrame(), options({ target: 'amount', features: ['id'] })).classDistribution, undefined, 'none for regression');
  });
});

describe('class weights per label', () => {
  it('weighs the named labels and leaves the others at 1', () => {
    const p = prepareData(fraudFrame(), options({ classWeights: { fraud: 10 } }));
    assert.deepEqual(p.classWeights, [10, 1]);
    for (const m of [p.train, p.validation!, p.test]) {
      m.labels.forEach((label, r) => assert.equal(m.weights![r], label === 0 ? 10 : 1));
    }
  });

  it('refuses unknown labels, bad weights and regression targets', () => {
    const refused = (o: Partial<PrepareOptions>, pattern: RegExp) =>
      assert.throws(() => prepareData(fraudFrame(), options(o)), (e: unknown) => e instanceof MlError && e.code === 'INVALID_HYPERPARAMETERS' && pattern.test(e.message));
    refused({ classWeights: { spam: 2 } }, /"spam".*fraud, ok/);
    refused({ classWeights: { fraud: 0 } }, /above 0/);
    refused({ classWeights: { fraud: Number.NaN } }, /above 0/);
    refused({ target: 'amount', features: ['id'], classWeights: { a: 1 } }, /classWeights needs a classification task/);
    refused({ target: 'amount', features: ['id'], oversample: true }, /oversample needs a classification task/);
  });
});

describe('random oversampling', () => {
  it('balances the training split only, never touching validation or test', () => {
    const plain = prepareData(fraudFrame(), options());
    const p = prepareData(fraudFrame(), options({ oversample: true }));
    const counts = [0, 0];
    for (const label of p.train.labels) counts[label]!++;
    assert.equal(counts[0], counts[1], `train counts ${counts}`);
    assert.deepEqual(p.classDistribution!.oversampledTrainCounts, { fraud: counts[0], ok: counts[1] });
    assert.deepEqual(p.classDistribution!.counts, plain.classDistribution!.counts, 'the distribution describes the data, not the resampling');
    // Validation and test are the same rows, bit for bit, as without oversampling.
    assert.deepEqual(p.validation, plain.validation);
    assert.deepEqual(p.test, plain.test);
    // Every training row is one of the original training rows; no validation or test row leaks in.
    const trainIds = new Set(ids(plain.train));
    const heldOut = new Set([...ids(p.validation!), ...ids(p.test)]);
    for (const id of ids(p.train)) {
      assert.ok(trainIds.has(id), `row ${id} is not a training row`);
      assert.ok(!heldOut.has(id), `row ${id} leaked from validation or test`);
    }
    assert.deepEqual(Array.from(p.frameRows!.train), ids(p.train), 'frame rows follow the repeats');
    assert.deepEqual(p.plan, plain.plan, 'the plan is fitted on distinct training rows');
    assert.deepEqual(prepareData(fraudFrame(), options({ oversample: true })).train, p.train, 'seeded');
    assert.notDeepEqual(prepareData(fraudFrame(), options({ oversample: true }, { seed: 7 })).train.data, p.train.data);
  });

  it('keeps a time-ordered training split in time order', () => {
    const p = prepareData(fraudFrame(), options({ oversample: true }, { method: 'time_series', timeColumn: 'at' }));
    const order = ids(p.train);
    assert.ok(order.every((id, i) => i === 0 || id >= order[i - 1]!), 'repeats sit beside their originals');
    assert.ok(Math.max(...order) < Math.min(...ids(p.test)), 'test rows are still the newest');
  });

  it("with 'balanced' weights, weighs the oversampled classes equally", () => {
    const p = prepareData(fraudFrame(), options({ oversample: true, classWeights: 'balanced' }));
    assert.deepEqual(p.classWeights, [1, 1]);
  });
});
