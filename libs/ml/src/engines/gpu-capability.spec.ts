import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MODEL_TYPES } from '@trainyard/contracts';
import { engineGpuProbe, gpuCapable, gpuCapableFamilies, type GpuLibraryProbe } from './gpu-capability';

const probe = (xgboostCuda: boolean, lightgbmGpu: boolean): GpuLibraryProbe => ({ xgboostCuda: async () => xgboostCuda, lightgbmGpu: async () => lightgbmGpu });

describe('gpuCapable', () => {
  it('names XGBoost with CUDA, LightGBM and its forest with a GPU build, and never the CPU families', async () => {
    assert.deepEqual(await gpuCapableFamilies(MODEL_TYPES, probe(true, false)), ['xgboost']);
    assert.deepEqual(await gpuCapableFamilies(MODEL_TYPES, probe(false, true)), ['lightgbm', 'random_forest']);
    assert.deepEqual(await gpuCapableFamilies(MODEL_TYPES, probe(true, true)), ['xgboost', 'lightgbm', 'random_forest']);
    for (const type of ['linear', 'mlp', 'lstm', 'ensemble'] as const) assert.equal(await gpuCapable(type, probe(true, true)), false);
  });

  // The default provisioning (README: How tools are provisioned) takes the CPU wheels.
  const cudaWheel = process.env.TRAINYARD_XGBOOST_PACKAGE === 'xgboost';
  it('finds no GPU family in the CPU wheels this machine provisions', { skip: cudaWheel && 'a CUDA xgboost is configured' }, async () => {
    assert.equal(await engineGpuProbe.xgboostCuda(), false, 'xgboost-cpu is built without CUDA');
    assert.equal(await engineGpuProbe.lightgbmGpu(), false, 'the lightgbm wheel has no GPU tree learner');
    assert.deepEqual(await gpuCapableFamilies(MODEL_TYPES), []);
  });
});
