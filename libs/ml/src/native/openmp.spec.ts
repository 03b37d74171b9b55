import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { OPENMP_SPIN_COUNT } from './openmp';

/** Trains two rounds in a fresh process (libgomp reads its environment once) and prints the settings it saw. */
function openMpAfterTraining(env: NodeJS.ProcessEnv): string {
  const script = `
    const { modelFamily } = require(${JSON.stringify(require.resolve('..'))});
    const data = new Float32Array(40).map((_, i) => i % 7);
    const labels = new Float32Array(20).map((_, i) => i % 2);
    modelFamily('xgboost')
      .train({ task: 'classification', numClasses: 2, train: { data, labels, rows: 20, cols: 2 }, params: { numRounds: 2 }, device: 'cpu' })
      .then(() => { console.log(process.env.OMP_WAIT_POLICY + ' ' + process.env.GOMP_SPINCOUNT); process.exit(0); });`;
  return execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).trim();
}

describe('OpenMP barrier spinning', () => {
  it('bounds the spin before the engines load, unless the operator chose a policy or a count', () => {
    const { OMP_WAIT_POLICY: _policy, GOMP_SPINCOUNT: _count, ...inherited } = process.env;
    assert.equal(openMpAfterTraining(inherited), `undefined ${OPENMP_SPIN_COUNT}`);
    assert.equal(openMpAfterTraining({ ...inherited, OMP_WAIT_POLICY: 'PASSIVE' }), 'PASSIVE undefined');
    assert.equal(openMpAfterTraining({ ...inherited, GOMP_SPINCOUNT: '0' }), 'undefined 0');
  });
});
