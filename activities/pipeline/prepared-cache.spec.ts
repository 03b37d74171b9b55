import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredObject } from '@trainyard/contracts';
import { preparedBundlePieces } from '@trainyard/ml';
import { objectKeys, sha256Of } from '@trainyard/storage';
import { fakeDeps, JOB_ID, StepAttempt, type FakeDeps } from '../testing/fakes';
import { churnFrame, trainingSpec } from '../testing/sample-data';
import { PreparedCache } from './prepared-cache';
import { prepareForSpec, storePrepared } from './preprocess';
import type { DataContext } from './step-context';

describe('PreparedCache', () => {
  let fake: FakeDeps;
  /** Three prepared bundles of about the same size, from different seeds. */
  let bundles: StoredObject[];
  const within = <T>(body: (ctx: DataContext) => Promise<T>) => new StepAttempt(fake.deps).run('train', body);

  before(async () => {
    fake = await fakeDeps();
    bundles = [];
    for (const seed of [1, 2, 3]) {
      const { prepared } = await prepareForSpec(trainingSpec(), churnFrame(200, { seed }), 1);
      bundles.push(await within((ctx) => storePrepared(ctx, prepared, objectKeys.job(JOB_ID, `prepared-${seed}`))));
    }
  });
  after(() => fake.dispose());

  it('decodes a bundle once for every trial that asks for it', async () => {
    const cache = new PreparedCache(10 * bundles[0].size);
    const [a, b] = await within((ctx) => Promise.all([cache.get(ctx, bundles[0]), cache.get(ctx, bundles[0])]));
    assert.equal(a, b);
    assert.equal(a.train.rows + (a.validation?.rows ?? 0) + a.test.rows, 200);
  });

  it('drops the least recently used bundle when the bytes run out', async () => {
    const cache = new PreparedCache(Math.max(...bundles.map((b) => b.size)) * 2);
    await within(async (ctx) => {
      const first = await cache.get(ctx, bundles[0]);
      const second = await cache.get(ctx, bundles[1]);
      assert.equal(await cache.get(ctx, bundles[0]), first, 'both fit');
      await cache.get(ctx, bundles[2]);
      assert.equal(await cache.get(ctx, bundles[0]), first, 'the bundle used last stays');
      assert.notEqual(await cache.get(ctx, bundles[1]), second, 'the one used longest ago was dropped and is read again');
    });
  });

  it('keeps the bundle asked for even when it alone is over the bound', async () => {
    const cache = new PreparedCache(1);
    await within(async (ctx) => {
      const data = await cache.get(ctx, bundles[0]);
      assert.equal(await cache.get(ctx, bundles[0]), data);
    });
  });

  it('does not keep a read that failed', async () => {
    const cache = new PreparedCache(10 * bundles[0].size);
    // Bytes that never went through this process's cache, so a read must reach the store.
    const bytes = Buffer.concat(preparedBundlePieces((await prepareForSpec(trainingSpec(), churnFrame(200, { seed: 4 }), 1)).prepared));
    const late: StoredObject = { key: objectKeys.job(JOB_ID, 'prepared-late'), sha256: sha256Of(bytes), size: bytes.length, encoding: 'identity' };
    await assert.rejects(within((ctx) => cache.get(ctx, late)), /no object is stored under/);
    await fake.store.put(late.key, bytes);
    const data = await within((ctx) => cache.get(ctx, late));
    assert.equal(data.test.rows, 40);
  });
});
