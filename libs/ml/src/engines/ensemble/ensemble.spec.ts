import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Task } from '@trainyard/contracts';
import type { Matrix } from '../../matrix';
import { maxAbsDiff, scoreOnnx } from '../../onnx/score-onnx';
import { linearFamily } from '../linear/linear-family';
import type { RoundEvent } from '../model-family';
import { binaryLabel, multiclassLabel, regressionTarget, seededRandom, splitTail, syntheticMatrix } from '../synthetic-matrices';
import { xgboostFamily } from '../xgboost-family';
import { decodeEnsembleModel, ensembleFamily } from './index';

const PARITY = 1e-5;
const MEMBERS = [
  { type: 'xgboost', params: { numRounds: 30, maxDepth: 3, seed: 1 } },
  { type: 'linear', params: {} },
];

function logLoss(p: Float32Array, m: Matrix, classes: number): number {
  let total = 0;
  for (let r = 0; r < m.rows; r++) total -= Math.log(Math.max(p[r * classes + m.labels[r]!]!, 1e-12));
  return total / m.rows;
}

function rmse(values: Float32Array, m: Matrix): number {
  let total = 0;
  for (let r = 0; r < m.rows; r++) total += (values[r]! - m.labels[r]!) ** 2;
  return Math.sqrt(total / m.rows);
}

/** Train, validation and test thirds-ish of one generated matrix. */
function splits(all: Matrix): { train: Matrix; validation: Matrix; test: Matrix } {
  const { head, tail: test } = splitTail(all, 600);
  const { head: train, tail: validation } = splitTail(head, 600);
  return { train, validation, test };
}

async function parity(bytes: Uint8Array, test: Matrix, task: Task, numClasses: number, classLabels: string[] | null): Promise<number> {
  const onnx = ensembleFamily.toOnnx(bytes, { featureCount: test.cols, task, classLabels });
  const scores = await scoreOnnx(onnx, test);
  const expected = await ensembleFamily.predict(bytes, test, numClasses);
  if (task === 'regression') return maxAbsDiff(scores.values!, expected) / Math.max(1, ...Array.from(expected, Math.abs));
  for (let r = 0; r < test.rows; r++) {
    const row = Array.from(expected.subarray(r * numClasses, (r + 1) * numClasses));
    const sorted = [...row].sort((a, b) => b - a);
    if (sorted[0]! - sorted[1]! > 1e-5) assert.equal(scores.labels![r], row.indexOf(sorted[0]!), `label of row ${r}`);
  }
  return maxAbsDiff(scores.probabilities!, expected);
}

describe('ensembleFamily', () => {
  // A label with a linear part (the linear member's strength) and an interaction (the trees').
  const mixed = (row: Float32Array) => (row[0]! + 0.5 * row[1]! + 0.8 * row[2]! * row[3]! > 0 ? 1 : 0);

  for (const method of ['average', 'stacking'] as const) {
    it(`binary ${method} of xgboost + linear: no worse than the worse member; ONNX parity`, async () => {
      const { train, validation, test } = splits(syntheticMatrix({ rows: 3000, cols: 6, seed: 51, missingRate: 0.03 }, mixed));
      const base = { task: 'classification' as const, numClasses: 2, train, validation };
      const started = performance.now();
      const events: RoundEvent[] = [];
      const result = await ensembleFamily.train({ ...base, params: { members: MEMBERS, method }, onRound: (e) => (events.push(e), 'continue') });
      const elapsed = performance.now() - started;
      assert.deepEqual(events.map((e) => e.round), Array.from({ length: events.length }, (_, i) => i + 1));
      assert.equal(result.rounds, events.length);
      // Planned rounds of both members (xgboost's 30, linear's at most 100 iterations) from the first event on.
      assert.ok(events.every((e) => e.totalRounds === 130));
      const model = decodeEnsembleModel(result.model);
      assert.equal(model.method, method);
      const losses: number[] = [];
      for (const member of model.members) {
        const family = member.type === 'xgboost' ? xgboostFamily : linearFamily;
        losses.push(logLoss(await family.predict(member.model, test, 2), test, 2));
      }
      const ensembleLoss = logLoss(await ensembleFamily.predict(result.model, test, 2), test, 2);
      console.log(`ensemble binary ${method}: ${elapsed.toFixed(0)} ms; test log loss ${ensembleLoss.toFixed(4)} vs members ${losses.map((l) => l.toFixed(4)).join(', ')}`);
      assert.ok(ensembleLoss <= Math.max(...losses) + 1e-6);
      const diff = await parity(result.model, test, 'classification', 2, ['no', 'yes']);
      console.log(`ensemble binary ${method} ONNX parity max abs diff ${diff}`);
      assert.ok(diff <= PARITY, `max abs diff ${diff}`);
    });
  }

  for (const method of ['average', 'stacking'] as const) {
    it(`regression ${method} of xgboost + linear: no worse than the worse member; ONNX parity`, async () => {
      const shifted = (row: Float32Array) => 20 + 5 * regressionTarget(row);
      const { train, validation, test } = splits(syntheticMatrix({ rows: 3000, cols: 5, seed: 52 }, shifted));
      const params = { members: MEMBERS, method, ...(method === 'average' ? { weights: [2, 1] } : {}) };
      const result = await ensembleFamily.train({ task: 'regression', numClasses: 0, train, validation, params });
      const model = decodeEnsembleModel(result.model);
      if (method === 'average') assert.deepEqual(model.weights.map((w) => w.toFixed(4)), ['0.6667', '0.3333']);
      const errors: number[] = [];
      for (const member of model.members) {
        const family = member.type === 'xgboost' ? xgboostFamily : linearFamily;
        errors.push(rmse(await family.predict(member.model, test, 0), test));
      }
      const ensembleError = rmse(await ensembleFamily.predict(result.model, test, 0), test);
      console.log(`ensemble regression ${method}: test rmse ${ensembleError.toFixed(4)} vs members ${errors.map((e) => e.toFixed(4)).join(', ')}`);
      assert.ok(ensembleError <= Math.max(...errors) + 1e-6);
      const diff = await parity(result.model, test, 'regression', 0, null);
      console.log(`ensemble regression ${method} ONNX parity max relative diff ${diff}`);
      assert.ok(diff <= PARITY, `max relative diff ${diff}`);
    });
  }

  it('multiclass stacking of three members (with lightgbm); ONNX parity', async () => {
    const { train, validation, test } = splits(syntheticMatrix({ rows: 3000, cols: 5, seed: 53 }, multiclassLabel));
    const members = [...MEMBERS, { type: 'lightgbm', params: { numRounds: 20 } }];
    const result = await ensembleFamily.train({ task: 'classification', numClasses: 3, train, validation, params: { members, method: 'stacking' } });
    const predicted = await ensembleFamily.predict(result.model, test, 3);
    assert.ok(logLoss(predicted, test, 3) < 0.3, `log loss ${logLoss(predicted, test, 3)}`);
    const diff = await parity(result.model, test, 'classification', 3, null);
    console.log(`ensemble multiclass stacking ONNX parity max abs diff ${diff}`);
    assert.ok(diff <= PARITY, `max abs diff ${diff}`);
  });

  it('stacking without a validation set falls back to averaging', async () => {
    const { train } = splits(syntheticMatrix({ rows: 1800, cols: 4, seed: 54 }, binaryLabel));
    const result = await ensembleFamily.train({ task: 'classification', numClasses: 2, train, params: { members: MEMBERS, method: 'stacking' } });
    const model = decodeEnsembleModel(result.model);
    assert.equal(model.method, 'average');
    assert.equal(model.meta, null);
  });

  it("'stop' cancels mid-member; a checkpoint resumes the remaining rounds", async () => {
    const { train, validation } = splits(syntheticMatrix({ rows: 1800, cols: 4, seed: 55 }, binaryLabel));
    const members = [
      { type: 'xgboost', params: { numRounds: 10, seed: 2 } },
      { type: 'xgboost', params: { numRounds: 10, maxDepth: 2, seed: 3 } },
    ];
    const base = { task: 'classification' as const, numClasses: 2, train, validation, params: { members } };
    const straight = await ensembleFamily.train(base);
    const checkpoints = new Map<number, Uint8Array>();
    const totals: number[] = [];
    const stopped = await ensembleFamily.train({
      ...base,
      checkpointEvery: 4,
      onCheckpoint: async (model, round) => void checkpoints.set(round, model),
      onRound: (e) => (totals.push(e.totalRounds), e.round === 15 ? 'stop' : 'continue'),
    });
    assert.equal(stopped.cancelled, true);
    assert.equal(stopped.rounds, 15);
    assert.ok(totals.every((t) => t === 20));
    // Member checkpoints at rounds 4 and 8 of each member, plus one when the first member finished.
    assert.deepEqual([...checkpoints.keys()], [4, 8, 10, 14]);
    // A cancelled ensemble still predicts, with the members it has.
    assert.equal(decodeEnsembleModel(stopped.model).members.length, 2);
    assert.equal((await ensembleFamily.predict(stopped.model, validation, 2)).length, 2 * validation.rows);

    const rounds: number[] = [];
    const resumed = await ensembleFamily.train({ ...base, startFrom: checkpoints.get(14)!, onRound: (e) => (rounds.push(e.round), 'continue') });
    assert.deepEqual(rounds, [15, 16, 17, 18, 19, 20]);
    assert.equal(resumed.rounds, 20);
    assert.equal(resumed.cancelled, false);
    const diff = maxAbsDiff(await ensembleFamily.predict(resumed.model, validation, 2), await ensembleFamily.predict(straight.model, validation, 2));
    console.log(`ensemble resume vs uninterrupted: max prediction diff ${diff}`);
    assert.ok(diff <= 1e-6);

    const fromFinished = await ensembleFamily.train({ ...base, startFrom: checkpoints.get(10)!, onRound: () => 'continue' });
    assert.equal(fromFinished.rounds, 20);
    await assert.rejects(ensembleFamily.train({ ...base, params: { members: [...members].reverse() }, startFrom: checkpoints.get(14)! }), /different/);
  });

  it('asks for scaled inputs only when a member needs them', () => {
    assert.equal(ensembleFamily.needsScaledInputsFor!({}), false);
    assert.equal(ensembleFamily.needsScaledInputsFor!({ members: [{ type: 'xgboost' }, { type: 'random_forest' }] }), false);
    assert.equal(ensembleFamily.needsScaledInputsFor!({ members: MEMBERS }), true);
    assert.equal(ensembleFamily.needsScaledInputsFor!({ members: [{ type: 'lightgbm' }, { type: 'mlp' }] }), true);
  });

  it('reports the combined feature importance', async () => {
    const random = seededRandom(56);
    const m = syntheticMatrix({ rows: 800, cols: 4, seed: 56 }, (row) => (row[0]! + 0.1 * (random() - 0.5) > 0 ? 1 : 0));
    const result = await ensembleFamily.train({ task: 'classification', numClasses: 2, train: m, params: { members: MEMBERS } });
    assert.equal(result.featureImportance.length, 4);
    assert.ok(Math.abs(result.featureImportance.reduce((a, b) => a + b) - 1) < 1e-9);
    assert.equal(result.featureImportance.indexOf(Math.max(...result.featureImportance)), 0);
    assert.match(result.engineVersion, /^xgboost .+ \+ trainyard-linear 1\.0\.0$/);
  });
});
