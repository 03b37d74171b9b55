import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { binaryCsv } from './support/datasets';
import { ApiClient } from './support/http';
import { waitUntil } from './support/jobs';
import { startTestStack, type TestStack } from './support/test-stack';

const run = promisify(execFile);

/** `temporal workflow list --query …` as a person would type it, against the stack's Temporal server. */
async function listWorkflows(stack: TestStack, query: string): Promise<{ execution: { workflowId: string }; status: string }[]> {
  const cli = process.env.TRAINYARD_TEMPORAL_CLI;
  assert.ok(cli, 'npm test provides the Temporal CLI');
  const { stdout } = await run(cli, ['workflow', 'list', '--address', stack.config.temporalAddress, '--namespace', stack.config.temporalNamespace, '--query', query, '--output', 'json']);
  const text = stdout.trim();
  if (!text) return [];
  // One JSON object per line, or a JSON array, depending on the CLI's version.
  return text.startsWith('[') ? JSON.parse(text) : text.split('\n').map((line) => JSON.parse(line));
}

describe('Temporal visibility: runs are found by what they are', () => {
  let stack: TestStack;
  let api: ApiClient;

  before(async () => {
    stack = await startTestStack({ config: { temporalUiUrl: 'http://temporal-ui.test:8233' } });
    api = new ApiClient(stack.url, stack.adminToken);
  });
  after(() => stack?.stop());

  it('tags a training run with its experiment, model type, dataset and status, which the CLI can query', async () => {
    const experiment = `vis-${randomBytes(3).toString('hex')}`;
    const ds = await api.uploadDataset('vis', binaryCsv(200, 12));
    const created = await api.post('/v1/training-jobs', { experiment, datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'lightgbm', params: { numRounds: 5 } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const job = await api.waitForJob(created.body.id);
    assert.equal(job.status, 'completed', JSON.stringify(job.error));

    const query = `TrainyardKind = 'training' AND TrainyardExperiment = '${experiment}' AND TrainyardStatus = 'completed'`;
    const found = await waitUntil('the run in visibility', async () => {
      const runs = await listWorkflows(stack, query);
      return runs.find((r) => r.execution.workflowId === job.workflowId) ?? null;
    }, 30_000);
    assert.ok(found);
    const byModel = await listWorkflows(stack, `TrainyardModelType = 'lightgbm' AND TrainyardDataset = '${ds.body.id}'`);
    assert.deepEqual(byModel.map((r) => r.execution.workflowId), [job.workflowId]);

    const connection = await Connection.connect({ address: stack.config.temporalAddress });
    try {
      const described = await new Client({ connection, namespace: stack.config.temporalNamespace }).workflow.getHandle(job.workflowId).describe();
      assert.equal(await described.staticSummary(), `lightgbm on vis v${ds.body.version}, experiment ${experiment}`);
    } finally {
      await connection.close();
    }
  });

  it("links each job and study to its run's page in the Temporal UI", async () => {
    const ds = await api.uploadDataset('links', binaryCsv(120, 13));
    const created = await api.post('/v1/training-jobs', { datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 3 } } });
    assert.equal(created.body.temporalUrl, `http://temporal-ui.test:8233/namespaces/${stack.config.temporalNamespace}/workflows/${created.body.workflowId}`);
    const listed = await api.get(`/v1/training-jobs?pageSize=100`);
    assert.equal(listed.body.items.find((j: { id: string }) => j.id === created.body.id).temporalUrl, created.body.temporalUrl);

    const study = await api.post('/v1/studies', {
      name: 'linked',
      job: { datasetId: ds.body.id, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 3 } } },
      searchSpace: { maxDepth: { type: 'int', low: 2, high: 4 } },
      objective: { metric: 'rocAuc', direction: 'maximize' },
      trials: 2,
    });
    assert.equal(study.status, 201, JSON.stringify(study.body));
    assert.equal(study.body.temporalUrl, `http://temporal-ui.test:8233/namespaces/${stack.config.temporalNamespace}/workflows/study-${study.body.id}`);
    await api.post(`/v1/studies/${study.body.id}/cancel`, {});
    await api.waitForJob(created.body.id);
  });
});
