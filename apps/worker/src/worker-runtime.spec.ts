import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '@trainyard/config';
import { threadsPerSlot } from '../../../activities/pipeline/threads';
import { detectGpu } from './gpu-capability';
import { computeQueues } from './worker-runtime';

describe('worker placement', () => {
  it('serves the GPU queue only where a GPU was detected', () => {
    const config = loadConfig({ TRAINYARD_WORKER_QUEUES: 'cpu,gpu', TRAINYARD_CPU_SLOTS: '3', TRAINYARD_GPU_SLOTS: '1' });
    const warnings: string[] = [];
    assert.deepEqual(computeQueues(config, { available: false, simulated: false, name: null }, (m) => warnings.push(m)), [{ device: 'cpu', slots: 3 }]);
    assert.equal(warnings.length, 1);
    assert.deepEqual(computeQueues(config, { available: true, simulated: false, name: 'A100' }), [
      { device: 'cpu', slots: 3 },
      { device: 'gpu', slots: 1 },
    ]);
  });

  it('detects a GPU from the driver, or a simulated one when asked', () => {
    assert.deepEqual(detectGpu(false, () => 'NVIDIA A10G\n'), { available: true, simulated: false, name: 'NVIDIA A10G' });
    assert.equal(detectGpu(false, () => { throw new Error('nvidia-smi: not found'); }).available, false);
    assert.deepEqual(detectGpu(true, () => { throw new Error('unused'); }), { available: true, simulated: true, name: 'simulated GPU' });
  });

  it('splits cores across slots so concurrent trainings do not oversubscribe', () => {
    assert.equal(threadsPerSlot(2, 2), 1);
    assert.equal(threadsPerSlot(1, 8), 8);
    assert.equal(threadsPerSlot(3, 8), 2);
    assert.equal(threadsPerSlot(16, 8), 1);
  });

  it('rejects unknown queues and bad slot counts in config', () => {
    assert.throws(() => loadConfig({ TRAINYARD_WORKER_QUEUES: 'cpu,tpu' }), /cpu and gpu/);
    assert.throws(() => loadConfig({ TRAINYARD_CPU_SLOTS: '0' }), /TRAINYARD_CPU_SLOTS/);
  });
});
