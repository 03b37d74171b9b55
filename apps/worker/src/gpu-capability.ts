import { execFileSync } from 'node:child_process';
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
