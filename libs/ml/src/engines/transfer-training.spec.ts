import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Matrix } from '../matrix';
import { regressionMetrics } from '../metrics/regression-metrics';
import { maxAbsDiff, scoreOnnx } from '../onnx/score-onnx';
import { ensembleUpdateParams, decodeEnsembleModel } from './ensemble';
import { decodeLstmModel } from './lstm';
import { decodeMlpModel } from './mlp';
import { modelFamily } from './model-families';
import { multiclassLabel, regressionTarget, splitTail, syntheticMatrix } from './synthetic-matrices';

const regression = (rows: number, seed: number) => syntheticMatrix({ rows, cols: 4, seed }, regressionTarget);
const withLabels = (m: Matrix, label: (row: Float32Array) => number): Matrix => ({
  ...m,
  labels: Float32Array.from({ length: m.rows }, (_, r) => label(m.data.subarray(r * m.cols, (r + 1) * m.cols))),
});

describe('transfer training of networks', () => {
  it('mlp: a small new set learns faster from the parent than from scratch', async () => {
    const mlp = modelFamily('mlp');
    const parent = await mlp.train({ task: 'regression', numClasses: 0, train: regression(2000, 31), params: { epochs: 30, hiddenLayers: [32, 16], seed: 1 } });
    const { head: small, tail: test } = splitTail(regression(700, 32), 500);
    const params = { epochs: 5, hiddenLayers: [8], seed: 2 };
    const scratch = await mlp.train({ task: 'regression', numClasses: 0, train: small, params });
    const transferred = await mlp.train({ task: 'regression', numClasses: 0, train: small, params, mode: 'transfer', initModel: parent.model });
    assert.deepEqual(decodeMlpModel(transferred.model).layers.map((l) => l.outputs), [32, 16, 1], "the parent's shape, not the params'");
    const rmse = async (model: Uint8Array) => regressionMetrics(test.labels, await mlp.predict(model, test, 0)).rmse;
    const [fromScratch, fromParent] = [await rmse(scratch.model), await rmse(transferred.model)];
    console.log(`mlp transfer: ${small.rows} rows × 5 epochs, test rmse ${fromParent.toFixed(3)} from the parent vs ${fromScratch.toFixed(3)} from scratch`);
    assert.ok(fromParent < 0.7 * fromScratch, `${fromParent} vs ${fromScratch}`);
  });

  it('mlp: a new class count gets a new output layer; frozen layers keep their weights; ONNX matches', async () => {
    const mlp = modelFamily('mlp');
    const data = regression(800, 33);
    const parent = await mlp.train({ task: 'regression', numClasses: 0, train: data, params: { epochs: 3, hiddenLayers: [16, 8], seed: 3 } });
    const three = withLabels(data, multiclassLabel);
    const child = await mlp.train({ task: 'classification', numClasses: 3, train: three, params: { epochs: 3, seed: 4 }, mode: 'transfer', initModel: parent.model, freezeLayers: 2 });
    const before = decodeMlpModel(parent.model).layers;
    const after = decodeMlpModel(child.model).layers;
    assert.equal(after[2]!.outputs, 3);
    assert.deepEqual(after.slice(0, 2), before.slice(0, 2), 'both hidden layers frozen');
    const loose = decodeMlpModel((await mlp.train({ task: 'classification', numClasses: 3, train: three, params: { epochs: 1, seed: 4 }, mode: 'transfer', initModel: parent.model, freezeLayers: 1 })).model).layers;
    assert.deepEqual(loose[0], before[0]);
    assert.notDeepEqual(loose[1]!.weights, before[1]!.weights, 'the unfrozen hidden layer trains');
    const onnx = mlp.toOnnx(child.model, { featureCount: 4, task: 'classification', classLabels: ['a', 'b', 'c'] });
    assert.ok(maxAbsDiff((await scoreOnnx(onnx, three)).probabilities!, await mlp.predict(child.model, three, 3)) < 1e-5);
    await assert.rejects(mlp.train({ task: 'regression', numClasses: 0, train: data, params: {}, mode: 'transfer', initModel: parent.model, freezeLayers: 3 }), /freezeLayers is 3.*2 layers/);
    await assert.rejects(mlp.train({ task: 'regression', numClasses: 0, train: data, params: {}, freezeLayers: 1 }), /only a transfer run/);
  });

  it('lstm: freezing the LSTM layer trains only the output; a new task gets a new output', async () => {
    const lstm = modelFamily('lstm');
    const data = regression(600, 34);
    const parent = await lstm.train({ task: 'regression', numClasses: 0, train: data, params: { epochs: 2, units: 8, window: 3, seed: 5 } });
    const child = await lstm.train({ task: 'regression', numClasses: 0, train: data, params: { epochs: 2, seed: 6 }, mode: 'transfer', initModel: parent.model, freezeLayers: 1 });
    const a = decodeLstmModel(parent.model);
    const b = decodeLstmModel(child.model);
    assert.equal(b.window, 3);
    assert.deepEqual([b.weights.kernel, b.weights.recurrentKernel, b.weights.bias], [a.weights.kernel, a.weights.recurrentKernel, a.weights.bias]);
    assert.notDeepEqual(b.weights.dense, a.weights.dense);
    const classes = await lstm.train({ task: 'classification', numClasses: 3, train: withLabels(data, multiclassLabel), params: { epochs: 1 }, mode: 'transfer', initModel: parent.model });
    assert.equal(decodeLstmModel(classes.model).weights.denseBias.length, 3);
    const onnx = lstm.toOnnx(child.model, { featureCount: 4, task: 'regression', classLabels: null });
    assert.ok(maxAbsDiff((await scoreOnnx(onnx, data)).values!, await lstm.predict(child.model, data, 0)) < 1e-4);
  });
});

describe('ensemble_update', () => {
  it('adds a member trained on new rows and keeps the parent members as they were', async () => {
    const ensemble = modelFamily('ensemble');
    const old = regression(600, 35);
    const fresh = regression(400, 36);
    const parent = await ensemble.train({ task: 'regression', numClasses: 0, train: old, params: { members: [{ type: 'xgboost', params: { numRounds: 10 } }, { type: 'lightgbm', params: { numRounds: 10 } }] } });
    const params = ensembleUpdateParams(parent.model, [{ type: 'linear', params: {} }]);
    const child = await ensemble.train({ task: 'regression', numClasses: 0, train: fresh, params, mode: 'ensemble_update', initModel: parent.model });
    const before = decodeEnsembleModel(parent.model);
    const after = decodeEnsembleModel(child.model);
    assert.deepEqual(after.members.map((m) => m.type), ['xgboost', 'lightgbm', 'linear']);
    assert.deepEqual(after.members.slice(0, 2), before.members);
    assert.deepEqual(after.weights.map((w) => w.toFixed(4)), ['0.3333', '0.3333', '0.3333']);
    const onnx = ensemble.toOnnx(child.model, { featureCount: 4, task: 'regression', classLabels: null });
    assert.ok(maxAbsDiff((await scoreOnnx(onnx, fresh)).values!, await ensemble.predict(child.model, fresh, 0)) < 1e-4);
    await assert.rejects(ensemble.train({ task: 'regression', numClasses: 0, train: fresh, params: ensembleUpdateParams(parent.model, []), mode: 'ensemble_update', initModel: parent.model }), /needs members after/);
  });
});

describe('training modes per family', () => {
  const data = regression(100, 37);
  for (const [type, mode] of [['linear', 'incremental'], ['random_forest', 'incremental'], ['xgboost', 'transfer'], ['mlp', 'ensemble_update']] as const) {
    it(`${type} refuses ${mode}`, async () => {
      await assert.rejects(modelFamily(type).train({ task: 'regression', numClasses: 0, train: data, params: {}, mode, initModel: new Uint8Array([1]) }), new RegExp(`${type} cannot train in mode ${mode}`));
    });
  }
});
