/** The cases `npm run record-histories` records (test/support/record-histories.ts runs them), one or more histories each. */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { binaryCsv } from './datasets';
import type { ApiClient } from './http';
import { longJob, quickJob, seriesLength, waitForTraining, waitUntil } from './jobs';
import type { TestStack } from './test-stack';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Where the replay test finds the histories: the source tree, not dist/. */
export const HISTORIES_DIR = join(__dirname, '..', '..', '..', 'test', 'histories');

/** One history to write: the file's name (without .json) and the run it comes from. */
export interface Recording {
  file: string;
  workflowId: string;
  runId?: string;
  /** What the history must show for the case to have happened as named; the recording fails otherwise. */
  expect?: (events: HistoryEvent[]) => string | null;
}

export interface Recorder {
  api: ApiClient;
  client: Client;
  stack: TestStack;
  /** A small binary dataset (label, id, a few features) for the quick cases. */
  datasetId: string;
  /** Kills the worker process (SIGKILL) and starts another. */
  restartWorker(): Promise<void>;
}

export interface HistoryCase {
  name: string;
  run(r: Recorder): Promise<Recording[]>;
}

const TERMINAL = ['completed', 'failed', 'cancelled'];

export const CASES: HistoryCase[] = [
  {
    // Every step in one activity; a webhook listens, so the job also starts an event delivery, recorded beside it.
    name: 'training-fused',
    async run({ api, client, datasetId }) {
      const job = await finishedJob(api, quickJob(datasetId, { execution: { pipeline: 'fused' } }), 'completed');
      const eventId = await waitUntil('the training.completed event', async () => {
        const events = (await api.get('/v1/events?type=training.completed')).body.items as { eventId: string; data: { jobId: string } }[];
        return events.find((e) => e.data.jobId === job.id)?.eventId;
      });
      const delivery = `event-delivery-${eventId}`;
      await client.workflow.getHandle(delivery).result();
      return [
        { file: 'training-fused', workflowId: job.workflowId, expect: has('the event delivery started', (e) => Boolean(e.startChildWorkflowExecutionInitiatedEventAttributes)) },
        { file: 'event-delivery-webhook', workflowId: delivery, expect: has('a delivery retried after the webhook answered 503', (e) => (e.activityTaskStartedEventAttributes?.attempt ?? 0) >= 2) },
      ];
    },
  },
  {
    // One activity per step, and k-fold cross-validation: folds run as parallel activities.
    name: 'training-staged',
    async run({ api, datasetId }) {
      const job = await finishedJob(api, quickJob(datasetId, { execution: { pipeline: 'staged' }, validation: { method: 'kfold', folds: 3 } }), 'completed');
      return [{ file: 'training-staged-kfold', workflowId: job.workflowId, expect: has('three cross-validation folds', (e) => activityType(e) === 'crossValidateFold', 3) }];
    },
  },
  {
    // The worker is killed mid-train: the step times out on its heartbeat and is retried on a new worker.
    name: 'training-retried',
    async run({ api, restartWorker }) {
      const ds = await api.uploadDataset('replay-crash', binaryCsv(3000, 41));
      const id = await submit(api, longJob(ds.body.id, 1500, { execution: { pipeline: 'staged' } }));
      await waitForTraining(api, id);
      await waitUntil('a checkpoint', async () => (await seriesLength(api, id)) >= 30);
      await restartWorker();
      const job = await api.waitForJob(id, TERMINAL, 180_000);
      if (job.status !== 'completed') throw new Error(`the retried job ended ${job.status}: ${JSON.stringify(job.error)}`);
      return [{ file: 'training-retried', workflowId: job.workflowId, expect: has('train retried', (e) => (e.activityTaskStartedEventAttributes?.attempt ?? 0) >= 2) }];
    },
  },
  {
    name: 'training-cancelled',
    async run({ api, datasetId }) {
      const id = await submit(api, longJob(datasetId, 20_000, { execution: { pipeline: 'fused' } }));
      await waitForTraining(api, id);
      const cancel = await api.post(`/v1/training-jobs/${id}/cancel`);
      if (cancel.status !== 202) throw new Error(`cancel refused: ${JSON.stringify(cancel.body)}`);
      const job = await api.waitForJob(id, TERMINAL);
      if (job.status !== 'cancelled') throw new Error(`the job ended ${job.status}`);
      return [{ file: 'training-cancelled', workflowId: job.workflowId, expect: has('the activity cancelled', (e) => Boolean(e.activityTaskCanceledEventAttributes)) }];
    },
  },
  {
    // A scheduled retrain whose new model takes the alias (an empty alias is always filled).
    name: 'scheduled-promotion',
    async run({ api, client, datasetId }) {
      const schedule = await api.post('/v1/schedules', {
        name: 'replay-promote',
        intervalSeconds: 86_400,
        job: { ...quickJob(datasetId), name: 'replay-promoted' },
        promote: { alias: 'production', metric: 'rocAuc', minImprovement: 0 },
      });
      if (schedule.status !== 201) throw new Error(`schedule refused: ${JSON.stringify(schedule.body)}`);
      const job = await scheduledRun(api, schedule.body.id);
      if (job.status !== 'completed' || !job.promotion?.promoted) throw new Error(`the scheduled run was not promoted: ${JSON.stringify(job)}`);
      return [{ ...(await parentOf(client, job)), file: 'scheduled-training-promoted', expect: has('the promotion decision', (e) => activityType(e) === 'evaluatePromotion') }];
    },
  },
  {
    // A schedule retrains on the newest version of its dataset, which has lost the target column: the job fails
    // with TARGET_COLUMN_MISSING (the API checks columns at submit, so only a new dataset version gets here).
    name: 'target-missing',
    async run({ api, client }) {
      const v1 = await api.uploadDataset('replay-drift', binaryCsv(200, 9));
      const schedule = await api.post('/v1/schedules', { name: 'replay-drift', intervalSeconds: 86_400, job: quickJob(v1.body.id) });
      if (schedule.status !== 201) throw new Error(`schedule refused: ${JSON.stringify(schedule.body)}`);
      const renamed = binaryCsv(200, 10).replace(/,label\n/, ',outcome\n');
      const v2 = await api.uploadDataset('replay-drift', renamed);
      if (v2.body.version !== 2) throw new Error(`expected version 2 of the dataset: ${JSON.stringify(v2.body)}`);
      const job = await scheduledRun(api, schedule.body.id);
      if (job.status !== 'failed' || job.error?.code !== 'TARGET_COLUMN_MISSING') throw new Error(`expected TARGET_COLUMN_MISSING: ${JSON.stringify(job.error)}`);
      return [
        { file: 'training-failed-target-missing', workflowId: job.workflowId, expect: has('failed with TARGET_COLUMN_MISSING', (e) => e.workflowExecutionFailedEventAttributes?.failure?.applicationFailureInfo?.type === 'TARGET_COLUMN_MISSING') },
        { ...(await parentOf(client, job)), file: 'scheduled-training-failed', expect: has('the child failed', (e) => Boolean(e.childWorkflowExecutionFailedEventAttributes)) },
      ];
    },
  },
  {
    // TPE past its ten random start-up trials, a median pruner that stops trials, and continue-as-new: the recorder's
    // Temporal suggests continuing as new after ~150 events (a real one does at 4K), so the study runs in several runs,
    // each recorded (-run1 continues as new; the last carries the trials over, completes and registers the best).
    name: 'study-tpe-median',
    async run({ api, client, datasetId }) {
      const study = await finishedStudy(api, {
        name: 'replay-tpe',
        job: { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 200, maxDepth: 3 } } },
        searchSpace: { learningRate: { type: 'float', low: 0.001, high: 0.5, log: true }, maxDepth: { type: 'int', low: 2, high: 4 } },
        objective: { metric: 'rocAuc', direction: 'maximize' },
        trials: 18,
        parallelism: 2,
        sampler: 'tpe',
        pruner: 'median',
        seed: 11,
      });
      if (study.trialsPruned < 1) throw new Error(`no trial was pruned: ${JSON.stringify(study)}`);
      const tpe = await tpeSuggested(api, study.id, 2);
      if (tpe < 2) throw new Error(`only ${tpe} trial(s) surely suggested by TPE (it needs 10 completed trials first): add trials`);
      const runs = await runsOf(client, study.workflowId);
      if (runs.length < 2) {
        const events = (await client.workflow.getHandle(study.workflowId).fetchHistory()).events ?? [];
        throw new Error(`the study did not continue as new: one run of ${events.length} events (TRAINYARD_RECORD_CAN_EVENTS lowers the hint)`);
      }
      // A new recording may have fewer runs than the last one: its leftover files would replay a study that never was.
      for (const f of await readdir(HISTORIES_DIR)) if (/^study-tpe-median-run\d+\.json$/.test(f)) await rm(join(HISTORIES_DIR, f));
      return runs.map((runId, i) => ({
        file: `study-tpe-median-run${i + 1}`,
        workflowId: study.workflowId,
        runId,
        expect: i < runs.length - 1
          ? has('continue-as-new', (e) => Boolean(e.workflowExecutionContinuedAsNewEventAttributes))
          : has('the best trial registered', (e) => activityType(e) === 'registerTrial'),
      }));
    },
  },
  {
    // The search chooses the model family; each family's params are conditional on it.
    name: 'study-model-type',
    async run({ api, datasetId }) {
      const study = await finishedStudy(api, {
        name: 'replay-families',
        job: { datasetId, target: 'label', exclude: ['id'], model: { type: 'xgboost', params: { numRounds: 20 } } },
        searchSpace: {
          'model.type': { type: 'categorical', choices: ['xgboost', 'linear'] },
          maxDepth: { type: 'int', low: 2, high: 4, condition: { param: 'model.type', in: ['xgboost'] } },
          l2: { type: 'float', low: 0.01, high: 10, log: true, condition: { param: 'model.type', in: ['linear'] } },
        },
        objective: { metric: 'rocAuc', direction: 'maximize' },
        trials: 4,
        parallelism: 2,
        sampler: 'random',
        seed: 4,
      });
      const trials = (await api.get(`/v1/studies/${study.id}/trials?pageSize=100`)).body.items as { params: Record<string, unknown> }[];
      const families = new Set(trials.map((t) => t.params['model.type']));
      if (families.size < 2) throw new Error(`every trial trained ${[...families].join()}: change the seed`);
      if (!study.bestTrial?.modelVersion) throw new Error(`the best trial was not registered: ${JSON.stringify(study)}`);
      return [{ file: 'study-model-type', workflowId: study.workflowId, expect: has('the best trial registered', (e) => activityType(e) === 'registerTrial') }];
    },
  },
  {
    // A run of the retention schedule the API creates at start, triggered now instead of at its cron time.
    name: 'retention',
    async run({ client, stack }) {
      const scheduleId = `${stack.config.queuePrefix}trainyard-retention`;
      await client.schedule.getHandle(scheduleId).trigger();
      const workflowId = await waitUntil('the retention run', async () => {
        for await (const w of client.workflow.list({ query: `WorkflowType = 'retentionWorkflow'` })) if (w.workflowId.startsWith(scheduleId)) return w.workflowId;
        return null;
      });
      return [{ file: 'retention-run', workflowId, expect: has('applyRetention', (e) => activityType(e) === 'applyRetention') }];
    },
  },
];

/** Submits a training job; its id. */
async function submit(api: ApiClient, body: object): Promise<string> {
  const created = await api.post('/v1/training-jobs', body);
  if (created.status !== 201) throw new Error(`job refused: ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

async function finishedJob(api: ApiClient, body: object, status: string): Promise<any> {
  const job = await api.waitForJob(await submit(api, body), TERMINAL);
  if (job.status !== status) throw new Error(`job ${job.id} ended ${job.status}, not ${status}: ${JSON.stringify(job.error)}`);
  return job;
}

async function finishedStudy(api: ApiClient, body: object): Promise<any> {
  const created = await api.post('/v1/studies', body);
  if (created.status !== 201) throw new Error(`study refused: ${JSON.stringify(created.body)}`);
  const study = await waitUntil('the study to end', async () => {
    const s = (await api.get(`/v1/studies/${created.body.id}`)).body;
    return TERMINAL.includes(s.status) ? s : null;
  }, 600_000, 500);
  if (study.status !== 'completed') throw new Error(`the study ended ${study.status}: ${JSON.stringify(study)}`);
  return study;
}

/**
 * How many trials were certainly suggested by TPE rather than its random start-up: with `parallelism`, at most
 * parallelism - 1 earlier trials were still running when a trial was suggested.
 */
async function tpeSuggested(api: ApiClient, studyId: string, parallelism: number): Promise<number> {
  const trials = ((await api.get(`/v1/studies/${studyId}/trials?pageSize=100`)).body.items as { number: number; status: string }[]).sort((a, b) => a.number - b.number);
  let completed = 0;
  let count = 0;
  for (const t of trials) {
    if (completed - (parallelism - 1) >= 10) count++;
    if (t.status === 'completed') completed++;
  }
  return count;
}

/** Triggers a schedule and returns its run's job once finished (and, when completed, once promotion was decided). */
async function scheduledRun(api: ApiClient, scheduleId: string): Promise<any> {
  const trigger = await api.post(`/v1/schedules/${scheduleId}/trigger`);
  if (trigger.status !== 202) throw new Error(`trigger refused: ${JSON.stringify(trigger.body)}`);
  return waitUntil('the scheduled run', async () => {
    const job = (await api.get(`/v1/schedules/${scheduleId}`)).body.recentJobs[0];
    if (!job || !TERMINAL.includes(job.status)) return null;
    return job.status !== 'completed' || job.promotion ? job : null;
  }, 120_000, 300);
}

/** The scheduled-training run that started `job`'s workflow as its child, once that run has closed. */
async function parentOf(client: Client, job: { workflowId: string }): Promise<{ workflowId: string; runId: string }> {
  const history = await client.workflow.getHandle(job.workflowId).fetchHistory();
  const parent = history.events?.[0]?.workflowExecutionStartedEventAttributes?.parentWorkflowExecution;
  if (!parent?.workflowId || !parent.runId) throw new Error(`${job.workflowId} has no parent workflow`);
  await client.workflow.getHandle(parent.workflowId, parent.runId).result().catch(() => undefined);
  return { workflowId: parent.workflowId, runId: parent.runId };
}

/** The run ids of a workflow id, oldest first, following continue-as-new back from the newest run. */
async function runsOf(client: Client, workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    runs.unshift(runId);
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

function activityType(e: HistoryEvent): string | undefined {
  return e.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined;
}

/** A check that at least `count` events match. */
function has(what: string, match: (e: HistoryEvent) => boolean, count = 1): (events: HistoryEvent[]) => string | null {
  return (events) => {
    const n = events.filter(match).length;
    return n >= count ? null : `expected ${what} (${count}), found ${n}`;
  };
}

