import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Matrix } from '../matrix';
import { regressionMetrics } from '../metrics/regression-metrics';
import { maxAbsDiff, scoreOnnx } from '../onnx/score-onnx';
import { dumpLightGBMModel } from './lightgbm/lightgbm-model-json';
import { modelFamily } from './model-families';
import { seededRandom, syntheticMatrix } from './synthetic-matrices';
import { readXGBoostModel } from './xgboost/xgboost-model-json';

/** A noisy non-linear regression target; rows are split into old data, new data, validation and test. */
function datasets() {
  const noise = seededRandom(913);
  const all = syntheticMatrix({ rows: 3800, cols: 5, seed: 912 }, (r) => 3 * r[0]! - 2 * r[1]! * r[1]! + Math.sin(3 * r[2]!) + 0.3 * (noise() - 0.5));
  const part = (from: number, to: number): Matrix => ({
    rows: to - from,
    cols: all.cols,
    data: all.data.slice(from * all.cols, to * all.cols),
    labels: all.labels.slice(from, to),
  });
  return { old: part(0, 2000), fresh: part(2000, 3000), both: part(0, 3000), validation: part(3000, 3400), test: part(3400, 3800) };
}

/** Tree structures of a model, one per tree, in order: each engine's own JSON. */
function treesOf(type: 'xgboost' | 'lightgbm', model: Uint8Array): unknown[] {
  return type === 'xgboost' ? readXGBoostModel(model).trees : dumpLightGBMModel(model).tree_info.map((t) => t.tree_structure);
}

describe('incremental training continues boosting from a parent model', () => {
  const { old, fresh, both, validation, test } = datasets();
  const base = { task: 'regression' as const, numClasses: 0, validation };

  for (const type of ['xgboost', 'lightgbm'] as const) {
    it(`${type}: keeps the parent's trees, adds new ones, exports to matching ONNX, and nears a full retrain with fewer rounds`, async () => {
      const family = modelFamily(type);
      const params = { numRounds: 400, learningRate: 0.1, earlyStoppingRounds: 20, seed: 1, nthread: 2 };
      const parent = await family.train({ ...base, train: old, params });
      const retrain = await family.train({ ...base, train: both, params });
      const incremental = await family.train({ ...base, train: fresh, params, mode: 'incremental', initModel: parent.model });
      const added = incremental.rounds - parent.rounds;

      const parentTrees = treesOf(type, parent.model);
      const trees = treesOf(type, incremental.model);
      assert.ok(added > 0, 'new rounds were boosted');
      assert.equal(trees.length, parentTrees.length + added);
      assert.deepEqual(trees.slice(0, parentTrees.length), parentTrees, "the parent's trees come first, unchanged");

      const rmse = async (model: Uint8Array) => regressionMetrics(test.labels, await family.predict(model, test, 0)).rmse;
      const [parentRmse, retrainRmse, incrementalRmse] = [await rmse(parent.model), await rmse(retrain.model), await rmse(incremental.model)];
      console.log(
        `${type}: parent ${parent.rounds} rounds on ${old.rows} rows, test rmse ${parentRmse.toFixed(4)}; ` +
          `full retrain ${retrain.rounds} rounds on ${both.rows} rows, rmse ${retrainRmse.toFixed(4)}; ` +
          `incremental +${added} rounds on ${fresh.rows} new rows, rmse ${incrementalRmse.toFixed(4)}`,
      );
      // The new trees see only the new rows, so they close part of the parent's gap to a retrain on every row.
      assert.ok(incrementalRmse < parentRmse, `incremental rmse ${incrementalRmse} vs parent ${parentRmse}`);
      assert.ok(incrementalRmse <= 1.1 * retrainRmse, `incremental rmse ${incrementalRmse} vs retrain ${retrainRmse}`);
      assert.ok(added < retrain.rounds, `incremental boosted ${added} rounds, the retrain ${retrain.rounds}`);

      const onnx = family.toOnnx(incremental.model, { featureCount: test.cols, task: 'regression', classLabels: null });
      const diff = maxAbsDiff((await scoreOnnx(onnx, test)).values!, await family.predict(incremental.model, test, 0));
      console.log(`${type} incremental ONNX parity max abs diff ${diff}`);
      assert.ok(diff < 1e-4, `ONNX differs by ${diff}`);
    });

    it(`${type}: refuses a parent for another task or feature count`, async () => {
      const family = modelFamily(type);
      const params = { numRounds: 5 };
      const parent = await family.train({ task: 'regression', numClasses: 0, train: old, params });
      const binary: Matrix = { ...fresh, labels: fresh.labels.map((y) => (y > 0 ? 1 : 0)) };
      await assert.rejects(family.train({ task: 'classification', numClasses: 2, train: binary, params, mode: 'incremental', initModel: parent.model }), /parent model is/);
      const narrow: Matrix = { rows: 10, cols: 2, data: new Float32Array(20), labels: new Float32Array(10) };
      await assert.rejects(family.train({ task: 'regression', numClasses: 0, train: narrow, params, mode: 'incremental', initModel: parent.model }), /parent model/);
      await assert.rejects(family.train({ task: 'regression', numClasses: 0, train: fresh, params, mode: 'incremental' }), /needs the parent model/);
    });
  }

  it('binary xgboost: incremental keeps the margin sum, so ONNX still matches', async () => {
    const family = modelFamily('xgboost');
    const binary = (m: Matrix): Matrix => ({ ...m, labels: m.labels.map((y) => (y > 0.5 ? 1 : 0)) });
    const parent = await family.train({ task: 'classification', numClasses: 2, train: binary(old), params: { numRounds: 20 } });
    const child = await family.train({ task: 'classification', numClasses: 2, train: binary(fresh), params: { numRounds: 10 }, mode: 'incremental', initModel: parent.model });
    assert.equal(child.rounds, 30);
    const onnx = family.toOnnx(child.model, { featureCount: test.cols, task: 'classification', classLabels: ['no', 'yes'] });
    const diff = maxAbsDiff((await scoreOnnx(onnx, test)).probabilities!, await family.predict(child.model, test, 2));
    assert.ok(diff < 1e-5, `ONNX differs by ${diff}`);
  });
});
