import type { ModelType } from '@trainyard/contracts';
import { lightgbmSupportsGpu } from './lightgbm/lightgbm-gpu';
import { xgboostSupportsCuda } from './xgboost/xgboost-version';

/** What the engine libraries loaded in this process can do on a GPU. */
export interface GpuLibraryProbe {
  /** libxgboost built with CUDA (XGBuildInfo's USE_CUDA). */
  xgboostCuda(): Promise<boolean>;
  /** lib_lightgbm built with its GPU tree learner, with a device it can open. */
  lightgbmGpu(): Promise<boolean>;
}

/** The libraries themselves; a probe that cannot load its library answers false. */
export const engineGpuProbe: GpuLibraryProbe = {
  xgboostCuda: () => safely(async () => xgboostSupportsCuda()),
  lightgbmGpu: () => safely(lightgbmSupportsGpu),
};

/**
 * Whether a family can train on this worker's GPU: XGBoost with a CUDA build, LightGBM and its random forest with a
 * GPU build. Linear, MLP (tfjs on WASM) and LSTM always train on the CPU, and an ensemble is placed as the CPU
 * families it may hold are.
 */
export async function gpuCapable(type: ModelType, probe: GpuLibraryProbe = engineGpuProbe): Promise<boolean> {
  switch (type) {
    case 'xgboost':
      return probe.xgboostCuda();
    case 'lightgbm':
    case 'random_forest':
      return probe.lightgbmGpu();
    default:
      return false;
  }
}

/** Every family that can use the GPU here, in MODEL_TYPES order. */
export async function gpuCapableFamilies(types: readonly ModelType[], probe: GpuLibraryProbe = engineGpuProbe): Promise<ModelType[]> {
  const capable = await Promise.all(types.map((type) => gpuCapable(type, probe)));
  return types.filter((_, i) => capable[i]);
}

async function safely(check: () => Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}
