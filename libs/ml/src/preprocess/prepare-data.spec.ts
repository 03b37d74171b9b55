import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultValidation, type ValidationSpec } from '@trainyard/contracts';
import { type Frame, type FrameColumn, type StringColumn, stringColumn, stringValues } from '../data/frame';
import { MlError } from '../errors';
import { matrixRow, type Matrix } from '../matrix';
import { applyPlan } from './apply-plan';
import { applyPlanToRecords } from './apply-plan-to-records';
import { fitPlan } from './fit-plan';
import { inferTask } from './infer-task';
import { prepareData, type PrepareOptions } from './prepare-data';
import { paritySample } from './parity-sample';
import { readPreparedBundle, writePreparedBundle } from './prepared-bundle';
import type { PreparedData } from './prepared-data';

const num = (name: string, values: number[], type: 'number' | 'integer' | 'boolean' | 'datetime' = 'number'): FrameColumn => ({
  name,
  type,
  nullCount: values.filter(Number.isNaN).length,
  values: Float64Array.from(values),
});
const str = (name: string, values: (string | null)[]): FrameColumn => stringColumn(name, values);
const frameOf = (...columns: FrameColumn[]): Frame => ({ rowCount: columns[0].type === 'string' ? columns[0].codes.length : columns[0].values.length, columns });

/** 100 rows, 80% class "no" / 20% class "yes", with a numeric, a category and a date feature. */
function churnFrame(): Frame {
  const n = 100;
  const idx = Array.from({ length: n }, (_, i) => i);
  return frameOf(
    num('tenure', idx.map((i) => i % 37)),
    str('plan', idx.map((i) => (i % 10 === 0 ? null : ['basic', 'pro', 'basic', 'enterprise'][i % 4]))),
    num('signup', idx.map((i) => (i % 9 === 0 ? NaN : Date.UTC(2023, i % 12, 1 + (i % 28)))), 'datetime'),
    str('churned', idx.map((i) => (i % 5 === 0 ? 'yes' : 'no'))),
  );
}

const options = (overrides: Partial<PrepareOptions> = {}, validation: Partial<ValidationSpec> = {}): PrepareOptions => ({
  target: 'churned',
  features: null,
  exclude: [],
  task: null,
  validation: { ...defaultValidation, ...validation },
  ...overrides,
});

function classCounts(m: Matrix): number[] {
  const counts = [0, 0];
  for (const label of m.labels) counts[label]++;
  return counts;
}

function throwsCode(fn: () => unknown, code: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof MlError && e.code === code && pattern.test(e.message));
}

describe('prepareData', () => {
  it('stratifies the holdout split by class and repeats it for the same seed', () => {
    const p = prepareData(churnFrame(), options());
    assert.equal(p.task, 'classification');
    assert.deepEqual(p.classLabels, ['no', 'yes']);
    assert.equal(p.train.rows + p.validation!.rows + p.test.rows, 100);
    assert.deepEqual(classCounts(p.test), [16, 4], 'test keeps the 80/20 ratio');
    assert.deepEqual(classCounts(p.validation!), [8, 2]);
    assert.deepEqual(classCounts(p.train), [56, 14]);

    const again = prepareData(churnFrame(), options());
    assert.deepEqual(again.test.data, p.test.data);
    assert.deepEqual(again.train.labels, p.train.labels);
    const otherSeed = prepareData(churnFrame(), options({}, { seed: 7 }));
    assert.notDeepEqual(otherSeed.test.data, p.test.data);
  });

  it('returns no validation matrix when validationSize is 0', () => {
    const p = prepareData(churnFrame(), options({}, { validationSize: 0, testSize: 0.25 }));
    assert.equal(p.validation, null);
    assert.equal(p.test.rows, 25);
    assert.equal(p.train.rows, 75);
  });

  it('drops rows whose target is missing and counts them', () => {
    const frame = churnFrame();
    const target = frame.columns[3] as StringColumn;
    target.codes[3] = -1;
    target.codes[4] = -1;
    const p = prepareData(frame, options());
    assert.equal(p.droppedRows, 2);
    assert.equal(p.train.rows + p.validation!.rows + p.test.rows, 98);
  });

  it('encodes categories by frequency and expands datetimes without crashing on missing dates', () => {
    const p = prepareData(churnFrame(), options());
    assert.deepEqual(p.featureNames, ['tenure', 'plan', 'signup', 'signup.year', 'signup.month', 'signup.dayOfWeek']);
    const plan = p.plan.transforms.find((t) => t.column === 'plan');
    assert.ok(plan?.kind === 'category');
    assert.equal(plan.categories[0], 'basic', 'the most frequent category gets code 0');
    const row = applyPlan(p.plan, frameOf(
      num('tenure', [5, 6]),
      str('plan', ['pro', null]),
      num('signup', [Date.UTC(2024, 2, 15), NaN], 'datetime'),
    ));
    assert.deepEqual([...row.subarray(0, 6)], [5, plan.categories.indexOf('pro'), Math.fround(Date.UTC(2024, 2, 15) / 1000), 2024, 3, 5]);
    assert.ok(row.subarray(7, 12).every(Number.isNaN), 'missing category and date are NaN');
    for (let r = 0; r < p.train.rows; r++) assert.equal(matrixRow(p.train, r).length, 6);
  });

  it('keeps the 1000 most frequent categories of an id-like column, ties in code-unit order', () => {
    // 40 values seen 5 times, 3000 seen twice (the cut falls inside them), 2000 seen once.
    const cells = [
      ...Array.from({ length: 40 }, (_, i) => Array<string>(5).fill(`top${i}`)).flat(),
      ...Array.from({ length: 3000 }, (_, i) => [`pair${(i * 7919) % 3000}`, `pair${(i * 7919) % 3000}`]).flat(),
      ...Array.from({ length: 2000 }, (_, i) => `once${i}`),
    ];
    const frame = frameOf(str('user', cells), str('label', cells.map((_, i) => (i % 2 ? 'a' : 'b'))));
    const plan = fitPlan({ frame, target: 'label', features: ['user'], task: 'classification', classLabels: ['a', 'b'], fitRows: cells.map((_, i) => i) });
    const categories = plan.transforms[0].kind === 'category' ? plan.transforms[0].categories : [];
    const tops = Array.from({ length: 40 }, (_, i) => `top${i}`).sort();
    const pairs = Array.from({ length: 3000 }, (_, i) => `pair${i}`).sort().slice(0, 960);
    assert.deepEqual(categories, [...tops, ...pairs]);
  });

  it('gives the UTC year, month and weekday Date gives, before 1970 too', () => {
    const instants = [Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(1900, 1, 28), Date.UTC(2000, 1, 29, 12), Date.UTC(-50, 5, 1), Date.UTC(2100, 2, 1)];
    const p = prepareData(churnFrame(), options());
    const rows = applyPlan(p.plan, frameOf(num('tenure', instants.map(() => 1)), str('plan', instants.map(() => 'pro')), num('signup', instants, 'datetime')));
    instants.forEach((ms, r) => {
      const d = new Date(ms);
      assert.deepEqual([...rows.subarray(r * 6 + 3, r * 6 + 6)], [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDay()], d.toISOString());
    });
  });

  it('maps unseen categories to NaN and accepts raw records', () => {
    const p = prepareData(churnFrame(), options({ exclude: ['signup'] }));
    const out = applyPlanToRecords(p.plan, [
      { tenure: 3, plan: 'platinum' },
      { tenure: '4', plan: 'enterprise' },
      { plan: 'pro' },
    ]);
    const plan = p.plan.transforms[1];
    assert.ok(plan.kind === 'category');
    assert.equal(out[0], 3);
    assert.ok(Number.isNaN(out[1]), 'unseen category');
    assert.deepEqual([out[2], out[3]], [4, plan.categories.indexOf('enterprise')]);
    assert.ok(Number.isNaN(out[4]), 'absent field is missing');
  });

  it('sorts numeric class labels numerically and uses class indices as labels', () => {
    const n = 60;
    const frame = frameOf(num('x', Array.from({ length: n }, (_, i) => i)), num('y', Array.from({ length: n }, (_, i) => [10, 2, 1][i % 3]), 'integer'));
    const p = prepareData(frame, options({ target: 'y' }));
    assert.equal(p.task, 'classification');
    assert.deepEqual(p.classLabels, ['1', '2', '10']);
    const x = p.test.data;
    for (let r = 0; r < p.test.rows; r++) assert.equal(p.test.labels[r], [2, 1, 0][x[r] % 3]);
  });

  it('keeps regression targets as values', () => {
    const frame = frameOf(num('x', Array.from({ length: 40 }, (_, i) => i)), num('y', Array.from({ length: 40 }, (_, i) => i * 1.5)));
    const p = prepareData(frame, options({ target: 'y' }));
    assert.equal(p.task, 'regression');
    assert.equal(p.classLabels, null);
    for (let r = 0; r < p.train.rows; r++) assert.equal(p.train.labels[r], p.train.data[r] * 1.5);
  });

  it('names missing and unknown columns and refuses too little data', () => {
    throwsCode(() => prepareData(churnFrame(), options({ target: 'nope' })), 'TARGET_COLUMN_MISSING', /"nope"/);
    throwsCode(() => prepareData(churnFrame(), options({ features: ['tenure', 'ghost'] })), 'DATASET_INVALID', /"ghost"/);
    throwsCode(() => prepareData(churnFrame(), options({ exclude: ['phantom'] })), 'DATASET_INVALID', /"phantom"/);
    const tiny = frameOf(num('x', [1, 2, 3, 4, 5]), str('churned', ['a', 'b', 'a', 'b', 'a']));
    throwsCode(() => prepareData(tiny, options()), 'INSUFFICIENT_DATA', /5 rows/);
    const oneClass = frameOf(num('x', Array.from({ length: 20 }, (_, i) => i)), str('churned', Array(20).fill('no')));
    throwsCode(() => prepareData(oneClass, options()), 'INSUFFICIENT_DATA', /single class/);
  });

  it('splits time series by the time column, newest rows last', () => {
    const n = 50;
    const frame = frameOf(num('t', Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, n - i)), 'datetime'), num('y', Array.from({ length: n }, (_, i) => i / 3)));
    const p = prepareData(frame, options({ target: 'y' }, { method: 'time_series', timeColumn: 't', validationSize: 0 }));
    const newestTrain = Math.max(...Array.from({ length: p.train.rows }, (_, r) => p.train.data[r * p.train.cols]));
    const oldestTest = Math.min(...Array.from({ length: p.test.rows }, (_, r) => p.test.data[r * p.test.cols]));
    assert.ok(newestTrain < oldestTest);
  });

  it('saves and loads prepared data unchanged as one bundle: weights, frame rows and the parity sample included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trainyard-prepared-'));
    const path = join(dir, 'prepared.bundle');
    try {
      const frame = churnFrame();
      for (const p of [prepareData(frame, options()), prepareData(frame, options({ classWeights: 'balanced' }))]) {
        p.paritySample = paritySample(p, frame, 25);
        p.trainTimes = Float64Array.from({ length: p.train.rows }, (_, i) => i * 1000);
        await writePreparedBundle(p, path);
        assert.deepEqual(plainSample(await readPreparedBundle(path)), plainSample(p));
      }
      assert.ok((await readPreparedBundle(path)).train.weights, 'the second one has weights');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a prepared bundle shorter or longer than its header says', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trainyard-prepared-'));
    const path = join(dir, 'prepared.bundle');
    try {
      await writePreparedBundle(prepareData(churnFrame(), options()), path);
      const bytes = await readFile(path);
      await writeFile(path, bytes.subarray(0, bytes.length - 12));
      await assert.rejects(readPreparedBundle(path), /shorter than its header says/);
      await writeFile(path, Buffer.concat([bytes, Buffer.alloc(16)]));
      await assert.rejects(readPreparedBundle(path), /holds \d+ bytes, its header says/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Prepared data with its parity sample's string columns as plain values, to compare by content. */
function plainSample(p: PreparedData) {
  if (!p.paritySample) return p;
  const columns = p.paritySample.frame.columns.map((c) => (c.type === 'string' ? { name: c.name, values: stringValues(c) } : c));
  return { ...p, paritySample: { pick: p.paritySample.pick, columns } };
}

describe('inferTask', () => {
  it('treats labels and small integer codes as classes and the rest as regression', () => {
    assert.equal(inferTask(str('t', ['a', 'b'])), 'classification');
    assert.equal(inferTask(num('t', [0, 1, NaN], 'boolean')), 'classification');
    assert.equal(inferTask(num('t', [0, 1, 1, 0], 'integer')), 'classification');
    assert.equal(inferTask(num('t', Array.from({ length: 200 }, (_, i) => i % 5), 'integer')), 'classification');
    assert.equal(inferTask(num('t', Array.from({ length: 30 }, (_, i) => i % 5), 'integer')), 'regression');
    assert.equal(inferTask(num('t', [0.5, 1.5, 2])), 'regression');
  });
});
