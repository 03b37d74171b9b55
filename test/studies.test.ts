import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient } from './support/http';
import { binaryCsv } from './support/datasets';
import { startTestStack, type TestStack } from './support/test-stack';

async function waitForStudy(api: ApiClient, id: string, statuses: string[], timeoutMs = 180_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const study = (await api.get(`/v1/studies/${id}`)).body;
    if (statuses.includes(study.status)) return study;
    if (Date.now() > deadline) throw new Error(`study ${id} stayed ${study.status}: ${JSON.stringify(study)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('studies: hyperparameter search as a durable workflow', () => {
  let stack: TestStack;
  let api: ApiClient;
  let datasetId: string;

  before(async () => {
    stack = await startTestStack();
    api = new ApiClient(stack.url, stack.adminToken);
    datasetId = (await api.uploadDataset('tune', binaryCsv(300, 71))).body.id;
  });
  after(() => stack?.stop());

  const job = (params: Record<string, unknown> = { numRounds: 15 }) => ({ datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params } });

  it('refuses bad search spaces and objectives, naming the field', async () => {
    const bad = await api.post('/v1/studies', {
      name: 'bad',
      job: job(),
      searchSpace: { maxDepth: { type: 'int', low: 8, high: 3 }, colour: { type: 'categorical', choices: ['red'] } },
      objective: { metric: 'vibes' },
      trials: 0,
    });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    const fields = bad.body.error.details.fields.map((f: any) => f.field);
    for (const f of ['searchSpace.maxDepth', 'searchSpace.colour', 'objective.metric', 'trials']) assert.ok(fields.some((x: string) => x.startsWith(f)), `${f} in ${fields}`);
    assert.equal((await api.get('/v1/studies/00000000-0000-4000-8000-000000000000')).body.error.code, 'STUDY_NOT_FOUND');
  });

  it('runs trials as training jobs, in parallel, and reports the best', async () => {
    const created = await api.post('/v1/studies', {
      name: 'depth-and-rate',
      job: job(),
      searchSpace: { maxDepth: { type: 'int', low: 2, high: 6 }, learningRate: { type: 'float', low: 0.05, high: 0.5, log: true } },
      objective: { metric: 'rocAuc', direction: 'maximize' },
      trials: 6,
      parallelism: 2,
      sampler: 'tpe',
      seed: 7,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const study = await waitForStudy(api, created.body.id, ['completed', 'failed', 'cancelled']);
    assert.equal(study.status, 'completed');
    assert.equal(study.trialsCompleted + study.trialsPruned + study.trialsFailed, 6);
    assert.ok(study.trialsCompleted >= 1);
    const trials = (await api.get(`/v1/studies/${study.id}/trials?pageSize=100`)).body.items;
    assert.deepEqual(trials.map((t: any) => t.number), [0, 1, 2, 3, 4, 5], 'no duplicate or missing trial numbers');
    const best = Math.max(...trials.filter((t: any) => t.status === 'completed').map((t: any) => t.value));
    assert.equal(study.bestTrial.value, best);
    // Only the best trial was exported and registered; the rest trained and scored natively.
    const version = study.bestTrial.modelVersion;
    assert.ok(version, 'the best trial became a model version');
    const registered = (await api.get(`/v1/models/${version.name}/versions/${version.version}`)).body;
    assert.equal(registered.jobId, study.bestTrial.jobId);
    assert.equal((await api.get(`/v1/training-jobs/${study.bestTrial.jobId}`)).body.modelVersion.version, version.version);
    for (const t of trials) {
      assert.ok(t.params.maxDepth >= 2 && t.params.maxDepth <= 6 && Number.isInteger(t.params.maxDepth));
      assert.ok(t.params.learningRate >= 0.05 && t.params.learningRate <= 0.5);
      const trialJob = (await api.get(`/v1/training-jobs/${t.jobId}`)).body;
      assert.equal(trialJob.studyId, study.id);
      assert.equal(trialJob.model.params.maxDepth, t.params.maxDepth);
      if (t.jobId !== study.bestTrial.jobId) assert.equal(trialJob.modelVersion, null, `trial ${t.number} was not registered`);
      if (t.status === 'completed') assert.ok(t.intermediate.length > 0, 'intermediate values per round');
    }
  });

  it('prunes trials that trail at a rung: they stop early, end cancelled, and report the objective per round', async () => {
    const rounds = 3000;
    const created = await api.post('/v1/studies', {
      name: 'pruned',
      job: job({ numRounds: rounds, maxDepth: 4 }),
      // From barely learning to quick: early rungs separate them clearly.
      searchSpace: { learningRate: { type: 'float', low: 0.001, high: 0.5, log: true } },
      objective: { metric: 'rocAuc', direction: 'maximize' },
      trials: 8,
      parallelism: 2,
      sampler: 'random',
      pruner: 'asha',
      seed: 5,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const study = await waitForStudy(api, created.body.id, ['completed', 'failed', 'cancelled']);
    assert.equal(study.status, 'completed');
    assert.ok(study.trialsPruned >= 1, `pruned ${study.trialsPruned} of 8`);
    assert.equal(study.trialsCompleted + study.trialsPruned + study.trialsFailed, 8);
    const trials = (await api.get(`/v1/studies/${study.id}/trials?pageSize=100`)).body.items;
    const stoppedAt: number[] = [];
    for (const t of trials) {
      const series = (await api.get(`/v1/training-jobs/${t.jobId}/metrics`)).body.series;
      // The pruner judged the study's objective, evaluated by the engine on the validation rows every round.
      assert.ok(series['validation.rocAuc']?.length > 0, `trial ${t.number} reported rocAuc`);
      assert.deepEqual(t.intermediate.map((p: any) => p.value), series['validation.rocAuc'].map((p: any) => p.value));
      assert.ok(t.intermediate.every((p: any) => p.value >= 0 && p.value <= 1));
      if (t.status !== 'pruned') continue;
      const trialJob = (await api.get(`/v1/training-jobs/${t.jobId}`)).body;
      assert.equal(trialJob.status, 'cancelled');
      assert.equal(t.value, null);
      stoppedAt.push(t.intermediate.at(-1).step);
    }
    // A decision can land as a trial's last trip ends, but pruning is there to save rounds: most stop well short.
    assert.ok(stoppedAt.some((step) => step < rounds / 2), `pruned trials stopped at rounds ${stoppedAt}`);
  });

  it('cancels a study and every running trial', async () => {
    const created = await api.post('/v1/studies', {
      name: 'cancel-me',
      job: job({ numRounds: 3000, maxDepth: 8 }),
      searchSpace: { learningRate: { type: 'float', low: 0.01, high: 0.3 } },
      objective: { metric: 'rocAuc' },
      trials: 20,
      parallelism: 2,
      sampler: 'random',
      seed: 3,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const deadline = Date.now() + 60_000;
    while ((await api.get(`/v1/studies/${created.body.id}`)).body.trialsRunning < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.equal((await api.post(`/v1/studies/${created.body.id}/cancel`)).status, 202);
    const study = await waitForStudy(api, created.body.id, ['cancelled', 'completed'], 60_000);
    assert.equal(study.status, 'cancelled');
    assert.equal(study.trialsRunning, 0);
    const jobs = (await api.get(`/v1/training-jobs?tag=study:cancel-me&pageSize=100`)).body.items;
    assert.ok(jobs.length >= 1 && jobs.length < 20);
    assert.ok(jobs.every((j: any) => ['cancelled', 'completed', 'failed'].includes(j.status)), JSON.stringify(jobs.map((j: any) => j.status)));
    assert.equal((await api.post(`/v1/studies/${created.body.id}/cancel`)).status, 409);
  });
});
