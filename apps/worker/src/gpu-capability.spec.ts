import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectGpu, gpuFamilies } from './gpu-capability';

describe('GPU families a worker advertises', () => {
  it('none without a GPU, whatever its libraries', async () => {
    const none = detectGpu(false, () => { throw new Error('nvidia-smi: not found'); });
    assert.deepEqual(await gpuFamilies(none, { xgboostCuda: async () => true, lightgbmGpu: async () => true }), []);
  });

  it('a simulated GPU worker on this CPU machine advertises XGBoost only, as the GPU image would', async () => {
    assert.deepEqual(await gpuFamilies(detectGpu(true)), ['xgboost']);
  });

  it('a real GPU advertises what its engine libraries support', async () => {
    const gpu = detectGpu(false, () => 'NVIDIA A10G\n');
    assert.deepEqual(await gpuFamilies(gpu, { xgboostCuda: async () => true, lightgbmGpu: async () => false }), ['xgboost']);
    assert.deepEqual(await gpuFamilies(gpu, { xgboostCuda: async () => false, lightgbmGpu: async () => true }), ['lightgbm', 'random_forest']);
    // This machine's CPU wheels: a GPU here could serve no family.
    assert.deepEqual(await gpuFamilies(gpu), []);
  });
});
