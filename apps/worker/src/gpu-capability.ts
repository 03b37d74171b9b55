import { execFileSync } from 'node:child_process';
import { MODEL_TYPES, type ModelType } from '@trainyard/contracts';
import { gpuCapableFamilies, type GpuLibraryProbe } from '@trainyard/ml';
import type { GpuCapability } from '../../../activities';

/** Finds a usable NVIDIA GPU by asking the driver; TRAINYARD_FAKE_GPU advertises a simulated one for tests. */
export function detectGpu(fake: boolean, probe: () => string = queryNvidiaSmi): GpuCapability {
  if (fake) return { available: true, simulated: true, name: 'simulated GPU' };
  try {
    const name = probe().split('\n')[0]?.trim();
    return name ? { available: true, simulated: false, name } : { available: false, simulated: false, name: null };
  } catch {
    return { available: false, simulated: false, name: null };
  }
}

function queryNvidiaSmi(): string {
  return execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

/** A simulated GPU stands for the GPU image: a CUDA libxgboost beside a CPU-only LightGBM. */
const SIMULATED_GPU_LIBRARIES: GpuLibraryProbe = { xgboostCuda: async () => true, lightgbmGpu: async () => false };

/**
 * The families this worker can train on its GPU, for its presence row, so `device: auto` sends a job to the GPU queue
 * only when its family can use it there: none without a GPU; with one, what the loaded engine libraries support.
 */
export async function gpuFamilies(gpu: GpuCapability, probe?: GpuLibraryProbe): Promise<ModelType[]> {
  if (!gpu.available) return [];
  return gpuCapableFamilies(MODEL_TYPES, probe ?? (gpu.simulated ? SIMULATED_GPU_LIBRARIES : undefined));
}
