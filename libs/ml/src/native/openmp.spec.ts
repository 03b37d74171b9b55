import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';

/** Trains two rounds in a fresh process (libgomp reads its environment once) and prints the wait policy it saw. */
function policyAfterTraining(env: NodeJS.ProcessEnv): string {
  const script = `
    const { modelFamily } = require(${JSON.stringify(require.resolve('..'))});
    const data = new Float32Array(40).map((_, i) => i % 7);
    const labels = new Float32Array(20).map((_, i) => i % 2);
    modelFamily('xgboost')
      .train({ task: 'classification', numClasses: 2, train: { data, labels, rows: 20, cols: 2 }, params: { numRounds: 2 }, device: 'cpu' })
      .then(() => { console.log(process.env.OMP_WAIT_POLICY); process.exit(0); });`;
  return execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).trim();
}

describe('OpenMP wait policy', () => {
  it('has the engines wait passively unless the operator chose a policy', () => {
    const { OMP_WAIT_POLICY: _ignored, ...inherited } = process.env;
    assert.equal(policyAfterTraining(inherited), 'PASSIVE');
    assert.equal(policyAfterTraining({ ...inherited, OMP_WAIT_POLICY: 'ACTIVE' }), 'ACTIVE');
  });
});
