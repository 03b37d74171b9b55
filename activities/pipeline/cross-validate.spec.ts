import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { defaultValidation, type StepInput, type ValidationSpec } from '@trainyard/contracts';
import { subsetMatrix, type PreparedData } from '@trainyard/ml';
import { fakeDeps, FakeJobStore, JOB_ID, StepAttempt, type FakeDeps } from '../testing/fakes';
import { churnFrame, stepInput, trainingSpec } from '../testing/sample-data';
import { crossValidateFold, recordFolds, type FoldResult } from './cross-validate';
import { prepareForSpec } from './preprocess';
import type { StepContext } from './step-context';

const FOLDS = 3;
const validation = (v: Partial<ValidationSpec>): ValidationSpec => ({ ...defaultValidation, folds: FOLDS, ...v });

describe('crossValidateFold', () => {
  let fake: FakeDeps;
  before(async () => (fake = await fakeDeps()));
  after(() => fake.dispose());

  async function prepare(v: Partial<ValidationSpec>, params: Record<string, unknown> = {}): Promise<{ input: StepInput; prepared: PreparedData }> {
    const input = stepInput(trainingSpec({ validation: validation(v) }, { numRounds: 10, ...params }));
    return { input, prepared: (await prepareForSpec(input.spec, churnFrame(300), 1)).prepared };
  }

  async function allFolds(input: StepInput, prepared: PreparedData): Promise<{ folds: FoldResult[]; attempt: StepAttempt }> {
    const attempt = new StepAttempt(fake.deps);
    const folds: FoldResult[] = [];
    for (let fold = 0; fold < FOLDS; fold++) folds.push(await attempt.run('train', (ctx) => crossValidateFold(fake.deps, ctx, input, prepared, fold)));
    return { folds, attempt };
  }

  it('kfold: holds out each fold of the training rows once and scores it (early stopping has nothing to watch)', async () => {
    const { input, prepared } = await prepare({ method: 'kfold' }, { earlyStoppingRounds: 3 });
    const { folds, attempt } = await allFolds(input, prepared);
    assert.deepEqual(folds.map((f) => f.fold), [0, 1, 2]);
    for (const f of folds) {
      assert.equal(f.trainRows + f.validateRows, prepared.train.rows);
      assert.equal(f.window, undefined);
      assert.ok((f.metrics.accuracy as number) > 0.6, `fold ${f.fold} accuracy ${f.metrics.accuracy}`);
    }
    assert.equal(folds.reduce((n, f) => n + f.validateRows, 0), prepared.train.rows);
    assert.deepEqual(
      attempt.jobs.messages(),
      folds.map((f) => `fold ${f.fold + 1}/${FOLDS}: ${f.trainRows} train, ${f.validateRows} held-out rows`),
    );
    const data = attempt.jobs.logs[0].data as { metrics: Record<string, unknown> };
    assert.ok(Object.values(data.metrics).every((v) => typeof v === 'number'), 'the log carries the scalar metrics only');
    assert.ok(attempt.heartbeats.some((b) => b.fold === 2 && b.round === 0), 'a fold heartbeats as it starts');
  });

  it('time_series_cv: trains on the rows up to a time and scores the block after it, the window growing', async () => {
    const { input, prepared } = await prepare({ method: 'time_series_cv', timeColumn: 'signup' });
    const { folds } = await allFolds(input, prepared);
    const first = Math.min(...prepared.trainTimes!);
    for (const [i, f] of folds.entries()) {
      const w = f.window!;
      assert.equal(w.trainFrom, first);
      assert.ok(w.trainFrom <= w.trainTo && w.trainTo < w.validateFrom && w.validateFrom <= w.validateTo, `fold ${i}: ${JSON.stringify(w)}`);
      if (i > 0) {
        assert.ok(f.trainRows > folds[i - 1].trainRows);
        assert.equal(w.trainTo, prepared.trainTimes!.reduce((latest, t) => (t < w.validateFrom ? Math.max(latest, t) : latest), -Infinity));
        assert.ok(w.trainTo >= folds[i - 1].window!.validateTo);
      }
    }
  });

  it('time_series_cv: asks for preprocessing again without the training times, and refuses too few rows', async () => {
    const { input, prepared } = await prepare({ method: 'time_series_cv', timeColumn: 'signup' });
    await assert.rejects(
      new StepAttempt(fake.deps).run('train', (ctx) => crossValidateFold(fake.deps, ctx, input, { ...prepared, trainTimes: undefined }, 0)),
      /training rows’ times; preprocess again/,
    );
    const rows = Int32Array.of(0, 1, 2);
    const tiny = { ...prepared, train: subsetMatrix(prepared.train, rows), trainTimes: prepared.trainTimes!.subarray(0, 3) };
    await assert.rejects(
      new StepAttempt(fake.deps).run('train', (ctx) => crossValidateFold(fake.deps, ctx, input, tiny, 0)),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'INSUFFICIENT_DATA' && /3 training rows cannot make 3 expanding-window folds/.test(err.message),
    );
  });

  it('stops when cancelled', async () => {
    const { input, prepared } = await prepare({ method: 'kfold' }, { numRounds: 2000 });
    const attempt = new StepAttempt(fake.deps);
    // Cancelled by the heartbeat the fold sends as it starts: it stops within a round of 2000.
    attempt.env.on('heartbeat', () => attempt.cancel());
    let lastRound = 0;
    const counting = (ctx: StepContext): StepContext =>
      Object.assign(Object.create(ctx) as StepContext, {
        progress: (details?: Record<string, unknown>) => {
          lastRound = Math.max(lastRound, Number(details?.round ?? 0));
          ctx.progress(details);
        },
      });
    await assert.rejects(
      attempt.run('train', (ctx) => crossValidateFold(fake.deps, counting(ctx), input, prepared, 1)),
      (err: unknown) => err instanceof CancelledFailure && err.message === 'cross-validation cancelled',
    );
    assert.ok(lastRound <= 1, `trained ${lastRound} rounds after the cancellation`);
  });
});

describe('recordFolds', () => {
  const fold = (n: number, accuracy: number, window?: FoldResult['window']): FoldResult => ({
    fold: n,
    trainRows: 100,
    validateRows: 50,
    metrics: { accuracy, perClass: { yes: {} } },
    ...(window ? { window } : {}),
  });
  const windowOf = (n: number) => ({ trainFrom: 0, trainTo: n * 10, validateFrom: n * 10 + 1, validateTo: n * 10 + 9 });

  it('stores the mean and spread of each scalar metric over the folds, and says so in the log', async () => {
    const jobs = new FakeJobStore();
    const summary = await recordFolds(jobs, JOB_ID, [fold(2, 0.9), fold(0, 0.7), fold(1, 0.8)]);
    assert.equal(summary.folds, 3);
    assert.deepEqual(summary.perFold, [{ accuracy: 0.7 }, { accuracy: 0.8 }, { accuracy: 0.9 }]);
    assert.ok(Math.abs(summary.mean.accuracy - 0.8) < 1e-12);
    assert.ok(Math.abs(summary.std.accuracy - Math.sqrt(0.02 / 3)) < 1e-12);
    assert.equal(summary.timeWindows, undefined);
    assert.deepEqual(jobs.results, [{ cvMetrics: summary }]);
    assert.deepEqual(jobs.logs, [{ level: 'info', stage: 'train', message: 'cross-validation over 3 folds', data: { mean: summary.mean, std: summary.std } }]);
  });

  it('keeps the folds’ time windows in fold order when every fold has one', async () => {
    const windowed = await recordFolds(new FakeJobStore(), JOB_ID, [fold(1, 0.8, windowOf(1)), fold(0, 0.7, windowOf(0))]);
    assert.deepEqual(windowed.timeWindows, [windowOf(0), windowOf(1)]);
    const mixed = await recordFolds(new FakeJobStore(), JOB_ID, [fold(1, 0.8, windowOf(1)), fold(0, 0.7)]);
    assert.equal(mixed.timeWindows, undefined);
  });
});
