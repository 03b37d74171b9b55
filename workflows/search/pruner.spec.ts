/* eslint-disable @typescript-eslint/no-restricted-imports -- specs run under node:test, never in the workflow sandbox */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { shouldPrune, type OtherTrial } from './pruner';

/** A learning curve as intermediate reports at steps 1..n. */
const curve = (...values: number[]) => values.map((value, i) => ({ step: i + 1, value }));
const done = (number: number, ...values: number[]): OtherTrial => ({ number, status: 'completed', intermediate: curve(...values) });

describe('median pruner', () => {
  const others = [done(0, 1.0, 0.8, 0.6, 0.5), done(1, 0.9, 0.7, 0.5, 0.4), done(2, 1.1, 0.9, 0.7, 0.6), done(3, 1.0, 0.6, 0.4, 0.3), done(4, 0.8, 0.7, 0.6, 0.5)];

  it('prunes a trial whose best so far is worse than the median at its latest step', () => {
    // medians at steps 1..3: 1.0, 0.7, 0.6
    assert.equal(shouldPrune('median', {}, { number: 9, intermediate: curve(1.2, 1.0) }, others, 'minimize'), true);
    assert.equal(shouldPrune('median', {}, { number: 9, intermediate: curve(1.2, 0.65) }, others, 'minimize'), false);
    assert.equal(shouldPrune('median', {}, { number: 9, intermediate: curve(0.5, 0.9, 0.9) }, others, 'minimize'), false, 'best-so-far counts, not the latest value');
  });

  it('waits for n_startup_trials complete trials and n_warmup_steps', () => {
    const bad = { number: 9, intermediate: curve(5, 5) };
    assert.equal(shouldPrune('median', {}, bad, others.slice(0, 4), 'minimize'), false);
    assert.equal(shouldPrune('median', { nStartupTrials: 4 }, bad, others.slice(0, 4), 'minimize'), true);
    assert.equal(shouldPrune('median', { nWarmupSteps: 3 }, bad, others, 'minimize'), false);
    const running: OtherTrial[] = others.map((t) => ({ ...t, status: 'running' }));
    assert.equal(shouldPrune('median', {}, bad, running, 'minimize'), false, 'only complete trials set the median');
  });

  it('flips for maximisation', () => {
    const acc = [done(0, 0.6, 0.7), done(1, 0.62, 0.72), done(2, 0.58, 0.69), done(3, 0.61, 0.71), done(4, 0.6, 0.7)];
    assert.equal(shouldPrune('median', {}, { number: 9, intermediate: curve(0.5, 0.55) }, acc, 'maximize'), true);
    assert.equal(shouldPrune('median', {}, { number: 9, intermediate: curve(0.5, 0.75) }, acc, 'maximize'), false);
  });

  it('past the steps complete trials reached, compares with their latest reports (reports come by time, not step)', () => {
    // Latest reports of the complete trials: 0.5 0.4 0.6 0.3 0.5, median 0.5.
    assert.equal(shouldPrune('median', {}, { number: 9, intermediate: curve(0.5, 0.5, 0.5, 0.5, 9) }, others, 'minimize'), false, 'best so far 0.5 ties the median');
    assert.equal(shouldPrune('median', {}, { number: 9, intermediate: curve(0.9, 0.9, 0.9, 0.9, 0.9) }, others, 'minimize'), true);
  });
});

describe('asha pruner (r = 1, η = 3: rungs at steps 1, 3, 9, ...)', () => {
  const many = [done(0, 0.9, 0.8, 0.7), done(1, 0.5, 0.45, 0.4), done(2, 0.7, 0.6, 0.5), done(3, 0.8, 0.7, 0.6), done(4, 0.6, 0.55, 0.5), done(5, 1.0, 0.9, 0.8)];

  it('lets the top third of a rung through and prunes the rest', () => {
    // Rung 1 values 0.9 0.5 0.7 0.8 0.6 1.0 + mine: 7 values, top floor(7/3) = 2 go on.
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.55) }, many, 'minimize'), false);
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.65) }, many, 'minimize'), true);
  });

  it('decides only when a rung is first reached', () => {
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.55, 0.99) }, many, 'minimize'), false, 'step 2 is between rungs');
    // Rung 3 values 0.7 0.4 0.5 0.6 0.5 0.8 + 0.45: top 2 are 0.4 and 0.45.
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.55, 0.5, 0.45) }, many, 'minimize'), false);
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.55, 0.5, 0.52) }, many, 'minimize'), true);
  });

  it('promotes the best when fewer than η trials have reached the rung, and honours min resource', () => {
    const two = many.slice(0, 1);
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.8) }, two, 'minimize'), false);
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.95) }, two, 'minimize'), true);
    const reports = [{ step: 2, value: 0.99 }, { step: 5, value: 0.99 }];
    assert.equal(shouldPrune('asha', { minResource: 4 }, { number: 9, intermediate: reports.slice(0, 1) }, many, 'minimize'), false, 'no rung below step 4');
    const rungFour = [0, 1, 2, 3].map((n) => ({ number: n, status: 'completed' as const, intermediate: [{ step: 4, value: 0.1 * n }] }));
    assert.equal(shouldPrune('asha', { minResource: 4 }, { number: 9, intermediate: reports }, rungFour, 'minimize'), true);
  });

  it('flips for maximisation and ignores failed trials', () => {
    const acc = [0.9, 0.5, 0.7, 0.8, 0.6, 1.0].map((v, n) => done(n, v));
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.95) }, acc, 'maximize'), false);
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.85) }, acc, 'maximize'), true);
    const failed = acc.map((t) => ({ ...t, status: 'failed' as const }));
    assert.equal(shouldPrune('asha', {}, { number: 9, intermediate: curve(0.1) }, failed, 'maximize'), false);
  });
});

describe('none pruner', () => {
  it('never prunes', () => {
    assert.equal(shouldPrune('none', {}, { number: 9, intermediate: curve(1e9) }, [done(0, 0), done(1, 0), done(2, 0), done(3, 0), done(4, 0), done(5, 0)], 'minimize'), false);
  });
});
