import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { STAGE_PROGRESS, type StoredObject, type TrialProgress } from '@trainyard/contracts';
import { modelFamily, type PreparedData } from '@trainyard/ml';
import { objectKeys, sha256Of } from '@trainyard/storage';
import { fakeDeps, JOB_ID, StepAttempt, type FakeDeps, type FakeJobStore } from '../testing/fakes';
import { churnFrame, stepInput, trainingSpec } from '../testing/sample-data';
import { prepareForSpec } from './preprocess';
import { heartbeatSentWithinMs, supersededCheckpoints, trainModel, trialProgress, type TrainedModel } from './train-model';

const ROUNDS = 80;
const input = stepInput(trainingSpec({}, { numRounds: ROUNDS }));

function stepsOf(jobs: FakeJobStore, name: string): number[] {
  return jobs.metrics.filter((m) => m.name === name).map((m) => m.step);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('trainModel', () => {
  let fake: FakeDeps;
  let prepared: PreparedData;
  /** One uninterrupted training, shared by the specs that look at what it left. */
  let first: { attempt: StepAttempt; trained: TrainedModel };

  before(async () => {
    fake = await fakeDeps({ config: { checkpointSeconds: 0 } });
    ({ prepared } = await prepareForSpec(input.spec, churnFrame(300), 1));
    const attempt = new StepAttempt(fake.deps);
    first = { attempt, trained: await attempt.run('train', (ctx) => trainModel(fake.deps, ctx, input, prepared)) };
  });
  after(() => fake.dispose());

  it('checkpoints into the store every 25 rounds, keeping each one a heartbeat may still name', () => {
    assert.equal(first.trained.rounds, ROUNDS);
    // A training of a moment: no newer checkpoint has surely gone out in a heartbeat, so none is deleted yet.
    assert.deepEqual(fake.store.keys(), [25, 50, 75].map((round) => objectKeys.job(JOB_ID, `checkpoint-${round}`)));
  });

  it('deletes a checkpoint once a newer one has surely been sent in a heartbeat, never the newest', () => {
    const sent = heartbeatSentWithinMs(30_000);
    assert.equal(sent, 29_000, "the SDK's throttle of 0.8 × the heartbeat timeout, plus a margin");
    assert.equal(heartbeatSentWithinMs(300_000), 65_000, 'the throttle is at most 60 s');
    assert.equal(heartbeatSentWithinMs(undefined), 35_000);
    const at = (...ages: number[]) => ages.map((age) => ({ at: 100_000 - age }));
    assert.equal(supersededCheckpoints(at(50_000, 40_000, 20_000, 1_000), 100_000, sent), 1, 'the one before the last checkpoint older than 29 s');
    assert.equal(supersededCheckpoints(at(90_000, 80_000, 70_000), 100_000, sent), 2, 'all but the newest');
    assert.equal(supersededCheckpoints(at(20_000, 10_000), 100_000, sent), 0, 'a heartbeat may still name either');
    assert.equal(supersededCheckpoints(at(90_000), 100_000, sent), 0);
    assert.equal(supersededCheckpoints([], 100_000, sent), 0);
  });

  it('writes no checkpoint in a training shorter than checkpointSeconds', async () => {
    const quiet = await fakeDeps({ config: { checkpointSeconds: 60 } });
    try {
      const attempt = new StepAttempt(quiet.deps);
      const trained = await attempt.run('train', (ctx) => trainModel(quiet.deps, ctx, input, prepared));
      assert.equal(trained.rounds, ROUNDS);
      assert.deepEqual(quiet.store.keys(), []);
      assert.ok(attempt.heartbeats.every((b) => b.checkpointRound === undefined));
    } finally {
      await quiet.dispose();
    }
  });

  it('puts the newest checkpoint in every heartbeat after it', () => {
    const beats = first.attempt.heartbeats;
    const cutoffs = [25, 50, 75].map((round) => beats.findIndex((b) => b.checkpointRound === round));
    assert.ok(cutoffs.every((at, i) => at >= 0 && (i === 0 || at > cutoffs[i - 1])), `checkpoint heartbeats at ${cutoffs}`);
    for (const [i, beat] of beats.entries()) {
      const expected = i < cutoffs[0] ? undefined : i < cutoffs[1] ? 25 : i < cutoffs[2] ? 50 : 75;
      assert.equal(beat.checkpointRound, expected, `heartbeat ${i}`);
      if (expected) assert.equal((beat.checkpoint as StoredObject).key, objectKeys.job(JOB_ID, `checkpoint-${expected}`));
    }
    // Rounds alone heartbeat at most once a second: in a training of a moment, the last heartbeat is a checkpoint's.
    const { stage, round, totalRounds, checkpointRound } = beats.at(-1)!;
    assert.deepEqual({ stage, round, totalRounds, checkpointRound }, { stage: 'train', round: 75, totalRounds: ROUNDS, checkpointRound: 75 });
  });

  it('records every round’s train and validation loss once, and ends the stage’s progress at evaluation', () => {
    const { jobs } = first.attempt;
    assert.deepEqual(stepsOf(jobs, 'train.logLoss'), range(1, ROUNDS));
    assert.deepEqual(stepsOf(jobs, 'validation.logLoss'), range(1, ROUNDS));
    assert.ok(Math.abs(jobs.progress.at(-1)! - STAGE_PROGRESS.evaluate) < 1e-12);
    assert.deepEqual(jobs.messages(), [`trained ${ROUNDS} rounds`]);
  });

  it('names the features by their importance, most important first', () => {
    const names = first.trained.featureImportanceByName;
    assert.deepEqual(names.map((f) => f.feature).sort(), [...prepared.featureNames].sort());
    assert.ok(names.every((f, i) => i === 0 || names[i - 1].importance >= f.importance));
    assert.ok(['tenure', 'monthly'].includes(names[0].feature), `the signal is in tenure and monthly, not ${names[0].feature}`);
  });

  it('resumes a retry from the checkpoint the last attempt heartbeated, to the same model', async () => {
    const checkpoint = first.attempt.heartbeats.find((b) => b.checkpointRound === 50)!.checkpoint as StoredObject;
    const retry = new StepAttempt(fake.deps, { attempt: 2, heartbeatDetails: { stage: 'train', round: 61, checkpoint, checkpointRound: 50 } });
    const resumed = await retry.run('train', (ctx) => trainModel(fake.deps, ctx, input, prepared));
    assert.deepEqual(stepsOf(retry.jobs, 'train.logLoss'), range(51, ROUNDS));
    assert.ok(retry.jobs.messages('info').includes('resuming training from the last checkpoint (round 50)'));
    assert.equal(resumed.rounds, ROUNDS);
    const family = modelFamily('xgboost');
    const [a, b] = await Promise.all([family.predict(first.trained.model, prepared.test, 2), family.predict(resumed.model, prepared.test, 2)]);
    assert.ok(a.every((v, i) => Math.abs(v - b[i]) < 1e-5), 'resumed training reproduces the uninterrupted model');
  });

  for (const [what, checkpoint, seed] of [
    ['missing', { key: objectKeys.job(JOB_ID, 'checkpoint-999'), sha256: sha256Of(Buffer.from('gone')), size: 4, encoding: 'identity' }, null],
    ['corrupt', { key: objectKeys.job(JOB_ID, 'checkpoint-13'), sha256: sha256Of(Buffer.from('the real one')), size: 12, encoding: 'identity' }, 'not the real one'],
  ] as const) {
    it(`starts over, with a warning, from a ${what} checkpoint`, async () => {
      if (seed) await fake.store.put(checkpoint.key, Buffer.from(seed));
      const retry = new StepAttempt(fake.deps, { attempt: 2, heartbeatDetails: { stage: 'train', checkpoint, checkpointRound: 13 } });
      await retry.run('train', (ctx) => trainModel(fake.deps, ctx, input, prepared));
      assert.equal(stepsOf(retry.jobs, 'train.logLoss')[0], 1);
      const [warning] = retry.jobs.messages('warn').filter((m) => m.startsWith('the last checkpoint'));
      assert.match(warning, new RegExp(`^the last checkpoint could not be read \\(.*${what === 'missing' ? 'no object is stored' : 'is corrupt'}.*\\); training starts over$`));
    });
  }

  it('stops at the next round when cancelled, keeps the metrics so far, and fails as cancelled', async () => {
    const long = stepInput(trainingSpec({}, { numRounds: 2000 }));
    const attempt = new StepAttempt(fake.deps);
    // Cancelled at the first heartbeat that names a round (a checkpoint's, or a round's a second in).
    let cancelledAt: number | undefined;
    attempt.env.on('heartbeat', (details: { round?: number }) => {
      if (cancelledAt !== undefined || details.round === undefined) return;
      cancelledAt = details.round;
      attempt.cancel();
    });
    await assert.rejects(
      attempt.run('train', (ctx) => trainModel(fake.deps, ctx, long, prepared)),
      (err: unknown) => err instanceof CancelledFailure && err.message === 'training cancelled',
    );
    const rounds = stepsOf(attempt.jobs, 'train.logLoss');
    assert.deepEqual(rounds, range(1, rounds.length));
    assert.ok(cancelledAt !== undefined && rounds.length >= cancelledAt && rounds.length <= cancelledAt + 1, `cancelled at round ${cancelledAt}, stopped after round ${rounds.length}`);
    assert.deepEqual(attempt.jobs.messages('warn'), [`training stopped at round ${rounds.length}: job cancelled`]);
  });

  it('trains on the CPU, saying so, where the GPU queue is served by a simulated GPU', async () => {
    const simulated = await fakeDeps({ gpu: { available: true, simulated: true, name: 'fake' } });
    try {
      const attempt = new StepAttempt(simulated.deps);
      const onGpu = stepInput(trainingSpec({}, { numRounds: 5 }), { device: 'gpu' });
      const trained = await attempt.run('train', (ctx) => trainModel(simulated.deps, ctx, onGpu, prepared), 'gpu');
      assert.equal(trained.rounds, 5);
      assert.deepEqual(attempt.jobs.messages('warn'), ['GPU queue served by a simulated GPU; training runs on the CPU']);
    } finally {
      await simulated.dispose();
    }
  });

  it('stops a study trial its pruner stopped, and ends as cancelled once the study cancels it', async () => {
    const reports: TrialProgress[] = [];
    let attempt: StepAttempt | undefined;
    let cancelled = false;
    const temporal = {
      workflow: {
        getHandle: (id: string) => {
          assert.equal(id, 'study-workflow');
          return {
            executeUpdate: async (_name: string, options: { args: [TrialProgress] }) => {
              reports.push(options.args[0]);
              // The study cancels a pruned trial too; that reaches the activity a little later.
              setTimeout(() => {
                cancelled = true;
                attempt!.cancel();
              }, 300).unref();
              return true;
            },
          };
        },
      },
    } as unknown as Client;
    const trialDeps = await fakeDeps({ temporal });
    try {
      attempt = new StepAttempt(trialDeps.deps);
      const trial = { studyWorkflowId: 'study-workflow', number: 4, objective: { metric: 'rocAuc', direction: 'maximize' as const } };
      const trialInput = stepInput(trainingSpec({}, { numRounds: 2000 }), { trial });
      await assert.rejects(
        attempt.run('train', (ctx) => trainModel(trialDeps.deps, ctx, trialInput, prepared)),
        CancelledFailure,
      );
      assert.ok(cancelled, 'the step waits for the study’s cancellation before it ends');
      assert.equal(reports.length, 1);
      assert.deepEqual({ ...reports[0], value: typeof reports[0].value }, { number: 4, step: 1, value: 'number', direction: 'maximize' });
      const rounds = stepsOf(attempt.jobs, 'train.logLoss').length;
      assert.ok(rounds <= 5, `a pruned trial stops within a round or two, not after ${rounds}`);

      // A trial whose training is over is not reported: pruning it then would only throw the work away.
      reports.length = 0;
      const last = new StepAttempt(trialDeps.deps);
      const trained = await last.run('train', (ctx) => trainModel(trialDeps.deps, ctx, stepInput(trainingSpec({}, { numRounds: 1 }), { trial }), prepared));
      assert.equal(trained.rounds, 1);
      assert.deepEqual(reports, []);
    } finally {
      await trialDeps.dispose();
    }
  });
});

describe('trialProgress', () => {
  const trial = { studyWorkflowId: 'w', number: 2, objective: { metric: 'rocAuc', direction: 'maximize' as const } };
  const round = { round: 7, totalRounds: 10, train: { logLoss: 0.5 } };

  it('reports the objective on the validation rows, with its direction, where the engine computed it', () => {
    assert.deepEqual(trialProgress(trial, { ...round, validation: { logLoss: 0.6, rocAuc: 0.8 } }), { number: 2, step: 7, value: 0.8, direction: 'maximize' });
  });

  it('falls back to the validation loss, else the training loss, as a loss to minimise', () => {
    assert.deepEqual(trialProgress(trial, { ...round, validation: { logLoss: 0.6 } }), { number: 2, step: 7, value: 0.6 });
    assert.deepEqual(trialProgress({ ...trial, objective: undefined }, { ...round, validation: { logLoss: 0.6, rocAuc: 0.8 } }), { number: 2, step: 7, value: 0.6 });
    assert.deepEqual(trialProgress(trial, { ...round, validation: null }), { number: 2, step: 7, value: 0.5 });
  });

  it('reports nothing when the value is not a finite number', () => {
    assert.equal(trialProgress(trial, { ...round, validation: { logLoss: Number.NaN } }), null);
  });
});
