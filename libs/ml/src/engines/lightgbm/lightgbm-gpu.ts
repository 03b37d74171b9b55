import type { Matrix } from '../../matrix';
import { LightGBMBooster } from './lightgbm-booster';
import { createDataset, freeDataset } from './lightgbm-dataset';

let supported: Promise<boolean> | null = null;

/**
 * LightGBM's C API reports no build options, so this boosts one round on ten rows with device_type=gpu: a CPU-only
 * build refuses ("GPU Tree Learner was not enabled in this build"), as does a GPU build without a usable device.
 * Asked once per process.
 */
export function lightgbmSupportsGpu(): Promise<boolean> {
  supported ??= probe();
  return supported;
}

async function probe(): Promise<boolean> {
  const rows = 10;
  const m: Matrix = { rows, cols: 1, data: Float32Array.from({ length: rows }, (_, i) => i), labels: Float32Array.from({ length: rows }, (_, i) => i % 2) };
  const params = 'objective=binary device_type=gpu verbosity=-1 min_data_in_leaf=1 min_data_in_bin=1';
  let dataset: bigint | null = null;
  let booster: LightGBMBooster | null = null;
  try {
    dataset = await createDataset(m, { params }, 'INTERNAL');
    booster = await LightGBMBooster.create(dataset, params, 'INTERNAL');
    await booster.boostOneRound([0], 1);
    return true;
  } catch {
    return false;
  } finally {
    booster?.free();
    freeDataset(dataset);
  }
}
