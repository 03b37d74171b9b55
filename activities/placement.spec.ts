import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Device, DeviceRequest, ModelType, PipelineMode } from '@trainyard/contracts';
import { choosePipeline, decidePlacement } from './placement';

/** Places a job with the given workers live; records which queues were probed and what was said. */
async function place(request: { device: DeviceRequest; requireGpu?: boolean }, liveDevices: Device[]) {
  const probed: Device[] = [];
  const said: [string, string][] = [];
  const placed = await decidePlacement(
    { device: request.device, requireGpu: request.requireGpu ?? false, queuePrefix: 'test-' },
    async (device) => (probed.push(device), liveDevices.includes(device)),
    async (level, message) => void said.push([level, message]),
  );
  return { placed, probed, said };
}

describe('decidePlacement', () => {
  it('puts a CPU job on the CPU queue without looking for a GPU, saying whether a CPU worker is live', async () => {
    assert.deepEqual(await place({ device: 'cpu' }, ['cpu', 'gpu']), { placed: { device: 'cpu', available: true, reason: 'cpu requested' }, probed: ['cpu'], said: [] });
    assert.deepEqual((await place({ device: 'cpu' }, [])).placed, { device: 'cpu', available: false, reason: 'cpu requested' });
  });

  it('puts a GPU or auto job on a live GPU worker, and says so', async () => {
    for (const device of ['gpu', 'auto'] as const) {
      const { placed, said } = await place({ device }, ['gpu']);
      assert.deepEqual(placed, { device: 'gpu', available: true, reason: 'a GPU worker is live' }, device);
      assert.deepEqual(said, [['info', 'placed on the GPU queue test-trainyard-gpu']]);
    }
  });

  it('keeps a job that requires a GPU waiting for one, whatever device it named', async () => {
    for (const device of ['gpu', 'cpu', 'auto'] as const) {
      const { placed, said } = await place({ device, requireGpu: true }, ['cpu']);
      const reason = 'waiting for a GPU worker: requireGpu is set and no live worker serves test-trainyard-gpu';
      assert.deepEqual(placed, { device: 'gpu', available: false, reason }, device);
      assert.deepEqual(said, [['warn', reason]]);
    }
  });

  it('falls back to the CPU, with a warning, for a GPU job no live GPU worker can take', async () => {
    const { placed, said } = await place({ device: 'gpu' }, ['cpu']);
    const reason = 'no live GPU worker serves test-trainyard-gpu; falling back to CPU';
    assert.deepEqual(placed, { device: 'cpu', available: true, reason });
    assert.deepEqual(said, [['warn', reason]]);
  });

  it('puts an auto job on the CPU quietly when no GPU worker is live', async () => {
    assert.deepEqual(await place({ device: 'auto' }, []), { placed: { device: 'cpu', available: false, reason: 'no live GPU worker' }, probed: ['gpu', 'cpu'], said: [] });
  });

  describe('with the families each live GPU worker can train on its GPU', () => {
    /** A live CPU worker and a GPU worker that advertises xgboost alone (as a CUDA XGBoost beside a CPU LightGBM). */
    const live = async (device: Device, families: readonly ModelType[] = []) => device === 'cpu' || families.every((f) => f === 'xgboost');
    const placeFamilies = async (device: DeviceRequest, modelTypes: ModelType[]) => {
      const said: [string, string][] = [];
      const placed = await decidePlacement({ device, requireGpu: false, queuePrefix: 'test-', modelTypes }, live, async (level, message) => void said.push([level, message]));
      return { placed, said };
    };

    it('puts an auto job on the GPU only when a live GPU worker can train its family there', async () => {
      assert.deepEqual((await placeFamilies('auto', ['xgboost'])).placed, { device: 'gpu', available: true, reason: 'a GPU worker is live' });
      for (const type of ['linear', 'mlp', 'lstm', 'lightgbm', 'ensemble'] as const) {
        const reason = `no live GPU worker can train ${type} on its GPU`;
        assert.deepEqual(await placeFamilies('auto', [type]), { placed: { device: 'cpu', available: true, reason }, said: [['info', `placed on the CPU queue: ${reason}`]] }, type);
      }
      assert.equal((await placeFamilies('auto', ['xgboost', 'linear'])).placed.device, 'cpu', "a study's trials go where every family they may train can use the GPU");
    });

    it('still honours an explicit gpu, warning that the family trains on the CPU there', async () => {
      const { placed, said } = await placeFamilies('gpu', ['linear']);
      assert.equal(placed.device, 'gpu');
      assert.deepEqual(said, [
        ['info', 'placed on the GPU queue test-trainyard-gpu'],
        ['warn', "no live GPU worker can train linear on its GPU: it trains on that worker's CPU"],
      ]);
    });
  });
});

describe('choosePipeline', () => {
  const MAX = 1000;
  /** The pipeline for a job placed on `device`, with a dataset of `bytes`; null bytes means the size must not be asked. */
  async function pipeline(requested: PipelineMode | 'auto' | undefined, device: Device, available: boolean, bytes: number | null): Promise<PipelineMode> {
    return choosePipeline(requested, { device, available }, MAX, async () => {
      assert.notEqual(bytes, null, 'the dataset size was asked for although it cannot matter');
      return bytes!;
    });
  }

  it('runs the pipeline the job asked for', async () => {
    assert.equal(await pipeline('fused', 'gpu', true, null), 'fused');
    assert.equal(await pipeline('staged', 'cpu', true, null), 'staged');
  });

  it('stages a job on a live GPU worker, and fuses one that waits for its GPU', async () => {
    assert.equal(await pipeline('auto', 'gpu', true, null), 'staged');
    assert.equal(await pipeline(undefined, 'gpu', false, null), 'fused');
  });

  it('stages a CPU job only when its dataset is larger than the bound', async () => {
    assert.equal(await pipeline('auto', 'cpu', true, MAX), 'fused');
    assert.equal(await pipeline(undefined, 'cpu', true, MAX + 1), 'staged');
    assert.equal(await pipeline('auto', 'cpu', false, 0), 'fused');
  });
});
