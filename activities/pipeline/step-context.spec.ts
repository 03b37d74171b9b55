import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MlError } from '@trainyard/ml';
import { ArtifactCorruptError, StorageUnavailableError } from '@trainyard/storage';
import { fakeDeps, StepAttempt, type FakeDeps } from '../testing/fakes';
import { STAGE_PROGRESS } from '@trainyard/contracts';

/** Lets promise chains and real I/O move on while timers are mocked (setImmediate is not). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(done(), `still waiting for ${what}`);
}

function mockClock(t: TestContext): (ms: number) => void {
  t.mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'], now: 0 });
  return (ms) => t.mock.timers.tick(ms);
}

/** A body that waits until the spec lets it finish. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('runJobStep', () => {
  let fake: FakeDeps;
  before(async () => (fake = await fakeDeps({ config: { stepStallSeconds: 10, storeWaitSeconds: 5 } })));
  after(() => fake.dispose());

  it('enters its stage first, at the stage’s progress and on its device', async () => {
    const attempt = new StepAttempt(fake.deps);
    assert.equal(await attempt.run('preprocess', async () => 'done', 'gpu'), 'done');
    assert.deepEqual(attempt.jobs.stages, [{ stage: 'preprocess', progress: STAGE_PROGRESS.preprocess, device: 'gpu' }]);
  });

  describe('heartbeats', () => {
    it('carry the details of every progress so far, merged, and repeat them between progress', async (t) => {
      const tick = mockClock(t);
      const attempt = new StepAttempt(fake.deps);
      const body = gate();
      const done = attempt.run('train', async (ctx) => {
        ctx.progress({ round: 1, totalRounds: 9 });
        ctx.progress({ checkpoint: 'c-1' });
        ctx.progress({ round: 2 });
        await body.wait;
      });
      await until(() => attempt.heartbeats.length === 1, 'the checkpoint’s heartbeat');
      assert.deepEqual(attempt.heartbeats, [{ stage: 'train', round: 1, totalRounds: 9, checkpoint: 'c-1' }]);
      tick(3000);
      assert.deepEqual(attempt.heartbeats.slice(1), [{ stage: 'train', round: 2, totalRounds: 9, checkpoint: 'c-1' }], 'round 2 rides on the next one');
      body.open();
      await done;
      tick(9000);
      assert.equal(attempt.heartbeats.length, 2, 'no heartbeat after the step ended');
    });

    it('come at most once a second while progress only counts rounds, and at once when it carries more', async (t) => {
      const tick = mockClock(t);
      const attempt = new StepAttempt(fake.deps);
      const body = gate();
      let report: ((details: Record<string, unknown>) => void) | undefined;
      const done = attempt.run('train', async (ctx) => {
        report = (details) => ctx.progress(details);
        await body.wait;
      });
      await until(() => report !== undefined, 'the body');
      for (let round = 1; round <= 49; round++) report!({ round, totalRounds: 50 });
      assert.deepEqual(attempt.heartbeats, [], 'rounds within the first second of the attempt wait');
      tick(1000);
      report!({ round: 50 });
      assert.deepEqual(attempt.heartbeats, [{ stage: 'train', round: 50, totalRounds: 50 }], 'a second on, a round beats');
      report!({ checkpoint: 'c-50', checkpointRound: 50 });
      assert.deepEqual(attempt.heartbeats.at(-1), { stage: 'train', round: 50, totalRounds: 50, checkpoint: 'c-50', checkpointRound: 50 }, 'a checkpoint beats at once');
      tick(999);
      report!({ round: 51 });
      assert.equal(attempt.heartbeats.length, 2, 'a round within the second after the checkpoint waits');
      tick(1);
      report!({ round: 52 });
      assert.deepEqual(attempt.heartbeats.at(-1), { stage: 'train', round: 52, totalRounds: 50, checkpoint: 'c-50', checkpointRound: 50 });
      body.open();
      await done;
    });

    it('stop once no progress came for stepStallSeconds, with one warning, and come back with progress', async (t) => {
      const tick = mockClock(t);
      const attempt = new StepAttempt(fake.deps);
      const body = gate();
      let say: (() => void) | undefined;
      const done = attempt.run('train', async (ctx) => {
        say = () => ctx.progress({ round: 7 });
        await body.wait;
      });
      await until(() => say !== undefined, 'the body');
      tick(9000);
      assert.equal(attempt.heartbeats.length, 3, 'a heartbeat every 3 s while within the stall time');
      tick(3000);
      tick(30_000);
      assert.equal(attempt.heartbeats.length, 3, 'silent after 10 s without progress');
      await until(() => attempt.jobs.logs.length > 0, 'the stall warning');
      assert.deepEqual(attempt.jobs.logs, [{ level: 'warn', stage: 'train', message: 'train: no progress for 10 s; this attempt will time out and be retried', data: undefined }]);
      say!();
      tick(3000);
      assert.deepEqual(attempt.heartbeats.slice(3), [{ stage: 'train', round: 7 }, { stage: 'train', round: 7 }]);
      body.open();
      await done;
    });
  });

  describe('an unreachable object store', () => {
    it('runs the body again until the store answers, saying once that it waits', async (t) => {
      const tick = mockClock(t);
      const attempt = new StepAttempt(fake.deps);
      let runs = 0;
      fake.store.goDown('connection refused');
      const done = attempt.run('preprocess', async (ctx) => {
        runs++;
        return ctx.storage.putBytes('jobs/outage/prepared', Buffer.from('prepared'));
      });
      // Each wait heartbeats just before it sleeps: only then may the clock move on.
      await until(() => attempt.heartbeats.length === 1, 'the first wait');
      tick(1000);
      await until(() => attempt.heartbeats.length === 2, 'the second wait');
      assert.equal(runs, 2);
      tick(1999);
      assert.equal(runs, 2, 'the wait doubles');
      fake.store.recover();
      tick(1);
      let object: Awaited<typeof done> | undefined;
      void done.then((stored) => (object = stored));
      await until(() => object !== undefined, 'the third run to store the object');
      assert.equal(runs, 3);
      assert.deepEqual(fake.store.keys(), ['jobs/outage/prepared']);
      assert.equal(object!.size, 8);
      assert.deepEqual(attempt.jobs.messages('warn'), [
        'preprocess: waiting for the object store: object store memory:// is unavailable: connection refused',
      ]);
      assert.ok(attempt.heartbeats.length >= 2, 'the step heartbeats while it waits');
    });

    it('gives up with the store’s error once storeWaitSeconds would pass', async (t) => {
      const tick = mockClock(t);
      const attempt = new StepAttempt(fake.deps);
      let runs = 0;
      const done = attempt.run('load_features', async () => {
        runs++;
        throw new StorageUnavailableError('still down');
      });
      let failure: unknown;
      done.catch((err: unknown) => (failure = err));
      await until(() => attempt.heartbeats.length === 1, 'the first wait');
      tick(1000);
      await until(() => attempt.heartbeats.length === 2, 'the second wait');
      tick(2000);
      await until(() => failure !== undefined, 'the step to give up');
      assert.ok(failure instanceof StorageUnavailableError && failure.message === 'still down');
      // Runs at 0, 1 and 3 s; waiting 4 s more would end past the 5 s allowed.
      assert.equal(runs, 3);
      assert.equal(attempt.jobs.messages('warn').length, 1);
    });

    it('does not run the body again for any other error', async () => {
      const attempt = new StepAttempt(fake.deps);
      let runs = 0;
      await assert.rejects(
        attempt.run('evaluate', async () => {
          runs++;
          throw new Error('not a store problem');
        }),
        /not a store problem/,
      );
      assert.equal(runs, 1);
    });

    it('is not waited for once the activity is cancelled', async () => {
      const attempt = new StepAttempt(fake.deps);
      const body = gate();
      let runs = 0;
      const done = attempt.run('preprocess', async () => {
        runs++;
        await body.wait;
        throw new StorageUnavailableError('down');
      });
      await until(() => runs === 1, 'the body');
      attempt.cancel();
      body.open();
      await assert.rejects(done, StorageUnavailableError);
      assert.equal(runs, 1);
      assert.deepEqual(attempt.jobs.logs, []);
    });

    it('stops waiting when the activity is cancelled', async (t) => {
      mockClock(t);
      const attempt = new StepAttempt(fake.deps);
      let runs = 0;
      const done = attempt.run('preprocess', async () => {
        runs++;
        throw new StorageUnavailableError('down');
      });
      await until(() => attempt.heartbeats.length === 1, 'the wait');
      attempt.cancel();
      await assert.rejects(done, CancelledFailure);
      assert.equal(runs, 1);
    });
  });

  describe('a retry', () => {
    it('of a fused pipeline says which stage it retries: the one the last attempt heartbeated', async () => {
      const attempt = new StepAttempt(fake.deps, { attempt: 3, heartbeatDetails: { stage: 'evaluate', round: 40 } });
      await attempt.run('load_features', async () => undefined);
      assert.deepEqual(attempt.jobs.logs[0], { level: 'warn', stage: 'load_features', message: 'retrying evaluate (attempt 3)', data: undefined });
    });

    it('without heartbeat details names its own stage; a first attempt says nothing', async () => {
      const retry = new StepAttempt(fake.deps, { attempt: 2 });
      await retry.run('preprocess', async () => undefined);
      assert.deepEqual(retry.jobs.messages('warn'), ['retrying preprocess (attempt 2)']);
      const first = new StepAttempt(fake.deps);
      await first.run('train', async () => undefined);
      assert.deepEqual(first.jobs.logs, []);
    });

    it('sees the previous attempt’s heartbeat details as resumeFrom', async () => {
      const attempt = new StepAttempt(fake.deps, { attempt: 2, heartbeatDetails: { stage: 'train', checkpointRound: 25 } });
      assert.deepEqual(await attempt.run('train', async (ctx) => ctx.resumeFrom), { stage: 'train', checkpointRound: 25 });
      assert.equal(await new StepAttempt(fake.deps).run('train', async (ctx) => ctx.resumeFrom), null);
    });
  });

  it('enter() moves the job and its later logs and heartbeats to the next stage', async () => {
    const attempt = new StepAttempt(fake.deps);
    await attempt.run('load_features', async (ctx) => {
      await ctx.enter('preprocess');
      await ctx.log('info', 'encoded');
    });
    assert.deepEqual(attempt.jobs.stages.map((s) => [s.stage, s.progress]), [
      ['load_features', STAGE_PROGRESS.load_features],
      ['preprocess', STAGE_PROGRESS.preprocess],
    ]);
    assert.deepEqual(attempt.heartbeats, [{ stage: 'preprocess' }]);
    assert.deepEqual(attempt.jobs.logs, [{ level: 'info', stage: 'preprocess', message: 'encoded', data: undefined }]);
  });

  describe('failures', () => {
    const failing = (stage: Parameters<StepAttempt['run']>[0], err: unknown, before?: Parameters<StepAttempt['run']>[0]) =>
      new StepAttempt(fake.deps).run(stage, async (ctx) => {
        if (before) await ctx.enter(before);
        throw err;
      });

    it('an unnamed error while training becomes a retryable TRAINING_FAILED with its message', async () => {
      const cause = new Error('engine crashed');
      await assert.rejects(failing('train', cause), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.equal(err.type, 'TRAINING_FAILED');
        assert.equal(err.message, 'engine crashed');
        assert.equal(err.nonRetryable, false);
        assert.equal(err.cause, cause);
        return true;
      });
    });

    it('is named by the stage the fused pipeline reached, not the one it started in', async () => {
      await assert.rejects(failing('load_features', new Error('out of memory'), 'train'), (err: unknown) => err instanceof ApplicationFailure && err.type === 'TRAINING_FAILED');
      const plain = new Error('export failed');
      await assert.rejects(failing('train', plain, 'evaluate'), (err: unknown) => err === plain);
    });

    it('keeps an MlError’s code, non-retryable when no retry can fix it', async () => {
      await assert.rejects(failing('train', new MlError('INSUFFICIENT_DATA', 'too few rows', { rows: 3 })), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.deepEqual([err.type, err.message, err.nonRetryable, err.details], ['INSUFFICIENT_DATA', 'too few rows', true, [{ rows: 3 }]]);
        return true;
      });
      await assert.rejects(failing('preprocess', new MlError('INTERNAL', 'odd')), (err: unknown) => err instanceof ApplicationFailure && err.type === 'INTERNAL' && !err.nonRetryable);
    });

    it('calls a corrupt object ARTIFACT_CORRUPT, and lets a cancellation through as itself', async () => {
      await assert.rejects(failing('evaluate', new ArtifactCorruptError('jobs/x/model', 'a'.repeat(64), 'b'.repeat(64))), (err: unknown) => {
        assert.ok(err instanceof ApplicationFailure);
        assert.deepEqual([err.type, err.nonRetryable, err.details], ['ARTIFACT_CORRUPT', true, [{ key: 'jobs/x/model' }]]);
        return true;
      });
      const cancelled = new CancelledFailure('training cancelled');
      await assert.rejects(failing('train', cancelled), (err: unknown) => err === cancelled);
    });
  });
});
