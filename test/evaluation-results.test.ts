import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { binaryCsv, regressionCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { startTestStack, type TestStack } from './support/test-stack';

/** Every job's training.completed event, by job id. */
async function completedEvents(api: ApiClient): Promise<Map<string, any>> {
  const items = (await api.get('/v1/events?type=training.completed')).body.items;
  return new Map(items.filter((e: any) => e.type === 'training.completed').map((e: any) => [e.data.jobId, e.data]));
}

describe('what evaluation records: class distribution, train metrics, curves, residuals, deploy readiness (real Temporal, PostgreSQL, S3)', () => {
  let stack: TestStack;
  let api: ApiClient;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
  });
  after(() => stack?.stop());

  it('records a binary job’s class distribution, train metrics and ROC/PR curves, and its deploy rule’s verdict', async () => {
    // Three negatives to each positive: an imbalance the job reports.
    const csv = binaryCsv(1200, 51)
      .split('\n')
      .filter((line, i) => i === 0 || !line.endsWith(',1') || i % 3 === 0)
      .join('\n');
    const ds = await api.uploadDataset('imbalanced', csv);
    assert.equal(ds.status, 201, JSON.stringify(ds.body));
    const submit = (min: number) =>
      api.post('/v1/training-jobs', {
        name: 'imbalanced',
        datasetId: ds.body.id,
        target: 'label',
        exclude: ['id'],
        model: { type: 'xgboost', params: { numRounds: 40, maxDepth: 3 } },
        preprocessing: { oversample: true },
        deploy: { metric: 'rocAuc', min },
      });
    const [ready, notReady] = await Promise.all([submit(0.6), submit(0.9999)]);
    assert.equal(ready.status, 201, JSON.stringify(ready.body));
    assert.deepEqual(ready.body.deploy, { metric: 'rocAuc', min: 0.6, max: null });
    assert.equal(ready.body.deploymentReady, null, 'not decided before evaluation');
    const [job, other] = await Promise.all([api.waitForJob(ready.body.id), api.waitForJob(notReady.body.id)]);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.equal(other.status, 'completed', JSON.stringify(other.error));

    const { counts, imbalanceRatio, oversampledTrainCounts } = job.classDistribution;
    assert.deepEqual(Object.keys(counts), ['0', '1']);
    assert.ok(Math.abs(imbalanceRatio - counts['0'] / counts['1']) < 1e-9 && imbalanceRatio > 2, JSON.stringify(job.classDistribution));
    assert.equal(oversampledTrainCounts['0'], oversampledTrainCounts['1'], 'oversampling evened the training split');

    for (const key of ['accuracy', 'rocAuc', 'logLoss', 'f1']) assert.equal(typeof job.trainMetrics[key], 'number', key);
    assert.ok(job.trainMetrics.logLoss < job.metrics.logLoss, `the model fits its training rows better: ${job.trainMetrics.logLoss} vs ${job.metrics.logLoss}`);

    const { roc, pr, positiveRate } = job.metrics.curves;
    assert.ok(roc.length > 10 && roc.length <= 200 && pr.length > 10 && pr.length <= 200, `${roc.length} ROC, ${pr.length} PR points`);
    assert.deepEqual(roc[0], { fpr: 0, tpr: 0 });
    assert.deepEqual(roc[roc.length - 1], { fpr: 1, tpr: 1 });
    for (let i = 1; i < roc.length; i++) assert.ok(roc[i].fpr >= roc[i - 1].fpr && roc[i].tpr >= roc[i - 1].tpr, 'ROC rises');
    const area = roc.slice(1).reduce((a: number, p: { fpr: number; tpr: number }, i: number) => a + (p.fpr - roc[i].fpr) * (p.tpr + roc[i].tpr) / 2, 0);
    assert.ok(Math.abs(area - job.metrics.rocAuc) < 0.02, `the curve's area ${area} is the job's rocAuc ${job.metrics.rocAuc}`);
    assert.equal(pr[pr.length - 1].recall, 1);
    const positives = counts['1'] / (counts['0'] + counts['1']);
    assert.ok(Math.abs(positiveRate - positives) < 0.1, `test positive rate ${positiveRate} near the data's ${positives}`);

    assert.equal(job.deploymentReady, true);
    assert.equal(other.deploymentReady, false);
    const events = await completedEvents(api);
    assert.equal(events.get(job.id).deploymentReady, true);
    assert.equal(events.get(other.id).deploymentReady, false);
    assert.ok(!('curves' in events.get(job.id).metrics), 'events carry the numbers, not the plot points');

    // The curves stay on the job: a version's metrics and a page of jobs carry the numbers only.
    const version = (await api.get(`/v1/models/imbalanced/versions/${job.modelVersion.version}`)).body;
    assert.equal(version.metrics.rocAuc, job.metrics.rocAuc);
    assert.ok(!('curves' in version.metrics));
    const listed = (await api.get('/v1/training-jobs?name=imbalanced')).body.items;
    assert.equal(listed.length, 2);
    for (const item of listed) assert.ok(item.metrics.rocAuc > 0 && !('curves' in item.metrics), JSON.stringify(item.metrics).slice(0, 200));
  });

  it('records residual pairs for a regression and holds a deploy rule’s max', async () => {
    const ds = await api.uploadDataset('houses-residuals', regressionCsv(700, 52));
    const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'price', model: { type: 'lightgbm', params: { numRounds: 60 } }, deploy: { metric: 'rmse', max: 1e6 } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));
    assert.equal(job.classDistribution, null);
    assert.equal(typeof job.trainMetrics.rmse, 'number');
    const { residuals } = job.metrics;
    assert.ok(residuals.length > 100 && residuals.length <= 500, `${residuals.length} pairs`);
    const mae = residuals.reduce((a: number, p: { actual: number; predicted: number }) => a + Math.abs(p.actual - p.predicted), 0) / residuals.length;
    assert.ok(Math.abs(mae - job.metrics.mae) / job.metrics.mae < 0.2, `the pairs are the test rows' (mae ${mae} vs ${job.metrics.mae})`);
    assert.equal(job.deploymentReady, true);
  });
});
