import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { profileRows } from './dataset-profile';

const columns = [
  { name: 'age', type: 'integer' as const, nullCount: 1 },
  { name: 'plan', type: 'string' as const, nullCount: 0 },
  { name: 'churned', type: 'integer' as const, nullCount: 0 },
];
const rows = Array.from({ length: 100 }, (_, i) => ({ age: i === 0 ? null : 18 + (i % 50), plan: i % 4 === 0 ? 'pro' : 'basic', churned: i % 4 === 0 ? 1 : 0 }));

describe('profileRows', () => {
  it('bins numbers into a histogram with class counts per bin, and counts missing from the upload summary', async () => {
    const profile = await profileRows(rows, columns, 1000, 'churned');
    assert.deepEqual(profile.target, { name: 'churned', kind: 'classification' });
    const age = profile.columns[0];
    assert.equal(age.missing, 1);
    assert.equal(age.missingRate, 0.001);
    assert.equal(age.distinct, 50);
    assert.equal(age.min, 18);
    assert.equal(age.max, 67);
    assert.ok(age.histogram && age.histogram.length >= 5 && age.histogram.length <= 20, JSON.stringify(age.histogram));
    assert.equal(age.histogram!.reduce((n, b) => n + b.count, 0), 99);
    for (const b of age.histogram!) {
      assert.ok(b.x1 > b.x0);
      const classes = b.target as Record<string, number>;
      assert.equal((classes['0'] ?? 0) + (classes['1'] ?? 0), b.count);
    }
  });

  it('gives top values with the target per value', async () => {
    const profile = await profileRows(rows, columns, 100, 'churned');
    assert.deepEqual(profile.columns[1].topValues, [
      { value: 'basic', count: 75, target: { '0': 75 } },
      { value: 'pro', count: 25, target: { '1': 25 } },
    ]);
    const regression = await profileRows(rows.map((r, i) => ({ ...r, churned: i * 1.5 })), columns, 100, 'churned');
    assert.equal(regression.target?.kind, 'regression');
    const pro = regression.columns[1].topValues!.find((v) => v.value === 'pro')!;
    assert.equal(pro.target, (1.5 * (0 + 96)) / 2);
  });

  it('profiles without a target', async () => {
    const profile = await profileRows(rows, columns, 100, null);
    assert.equal(profile.target, null);
    assert.equal(profile.columns[1].topValues![0].target, undefined);
  });
});
