import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { LoadFeaturesResult } from '@trainyard/contracts';
import { stringValues, type StringColumn } from '@trainyard/ml';
import { objectKeys, sha256Of } from '@trainyard/storage';
import { fakeDeps, StepAttempt, TENANT_ID, type FakeDeps } from '../testing/fakes';
import { loadFrame } from './load-features';

const CSV = 'tenure,plan,churned\n3,basic,yes\n40,pro,no\n12,basic,no\n';
const DATASET = '00000000-0000-4000-8000-00000000d001';

describe('loadFrame', () => {
  let fake: FakeDeps;
  let load: LoadFeaturesResult;
  before(async () => {
    fake = await fakeDeps();
    const dataset = await fake.deps.storage.putBytes(objectKeys.dataset(TENANT_ID, DATASET, 'csv'), Buffer.from(CSV));
    load = { dataset, format: 'csv', rows: 3, columns: [], datasetSha256: dataset.sha256 };
  });
  after(() => fake.dispose());

  it('reads the dataset from the store into a frame, saying it advanced', async () => {
    const attempt = new StepAttempt(fake.deps);
    const frame = await attempt.run('load_features', (ctx) => loadFrame(ctx, load));
    assert.equal(frame.rowCount, 3);
    assert.deepEqual(frame.columns.map((c) => c.name), ['tenure', 'plan', 'churned']);
    assert.deepEqual(stringValues(frame.columns[2] as StringColumn), ['yes', 'no', 'no']);
    assert.ok(attempt.heartbeats.length >= 2);
  });

  it('fails the job with ARTIFACT_CORRUPT when the stored file is not the one uploaded', async () => {
    const other = { ...load, dataset: { ...load.dataset, key: objectKeys.dataset(TENANT_ID, '00000000-0000-4000-8000-00000000d002', 'csv'), sha256: sha256Of(Buffer.from('the upload')) } };
    await fake.store.put(other.dataset.key, Buffer.from(CSV));
    await assert.rejects(
      new StepAttempt(fake.deps).run('load_features', (ctx) => loadFrame(ctx, other)),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'ARTIFACT_CORRUPT' && err.nonRetryable,
    );
  });
});
