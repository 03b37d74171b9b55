import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultValidation } from '@trainyard/contracts';
import { prepareData } from '../preprocess/prepare-data';
import { syntheticRawFrame } from '../preprocess/synthetic-frame';
import type { NumericColumn } from './frame';
import { narrowFloatColumns } from './narrow-columns';

const numeric = (frame: ReturnType<typeof syntheticRawFrame>, name: string) => frame.columns.find((c) => c.name === name) as NumericColumn;

describe('narrowFloatColumns', () => {
  it('holds float columns as float32 and keeps integers, booleans, datetimes and the kept columns exact', () => {
    const frame = syntheticRawFrame(500, 3);
    const before = new Map(frame.columns.map((c) => [c.name, c]));
    const freed = narrowFloatColumns(frame, new Set(['spend']));
    assert.ok(numeric(frame, 'amount').values instanceof Float32Array);
    assert.deepEqual(Array.from(numeric(frame, 'amount').values), Array.from((before.get('amount') as NumericColumn).values, Math.fround), 'float32 of each value, NaN kept');
    for (const name of ['visits', 'active', 'signup', 'spend']) assert.equal(frame.columns.find((c) => c.name === name), before.get(name), `${name} unchanged`);
    assert.equal(freed, 500 * 4, 'half of the one float64 column narrowed');
    assert.equal(narrowFloatColumns(frame, new Set()), 500 * 4, 'then spend, no longer kept');
    assert.equal(narrowFloatColumns(frame, new Set()), 0, 'nothing left to narrow');
  });

  it('changes nothing the engines see: the prepared matrices are the same', () => {
    const options = { target: 'churned', features: null, exclude: [], task: null, validation: { ...defaultValidation } };
    const exact = prepareData(syntheticRawFrame(2000, 5), options);
    const narrowed = syntheticRawFrame(2000, 5);
    narrowFloatColumns(narrowed, new Set(['churned']));
    const prepared = prepareData(narrowed, options);
    for (const split of ['train', 'validation', 'test'] as const) {
      assert.deepEqual(prepared[split]?.data, exact[split]?.data, `${split} matrix`);
    }
    assert.deepEqual(prepared.plan, exact.plan);
  });
});
