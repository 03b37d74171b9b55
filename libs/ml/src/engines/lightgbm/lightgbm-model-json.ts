import { MlError } from '../../errors';
import { LightGBMBooster } from './lightgbm-booster';

/** A split node of LightGBM's JSON dump. */
export interface LightGBMSplitJson {
  split_feature: number;
  threshold: number | string;
  decision_type: string;
  default_left: boolean;
  missing_type: 'None' | 'Zero' | 'NaN';
  left_child: LightGBMNodeJson;
  right_child: LightGBMNodeJson;
}

export interface LightGBMLeafJson {
  leaf_value: number;
}

export type LightGBMNodeJson = LightGBMSplitJson | LightGBMLeafJson;

/** The parts of LightGBM's JSON dump (LGBM_BoosterDumpModel) the ONNX exporter reads. */
export interface LightGBMModelDump {
  num_class: number;
  num_tree_per_iteration: number;
  max_feature_idx: number;
  /** e.g. "binary sigmoid:1", "multiclass num_class:3", "regression". */
  objective: string;
  /** True for boosting=rf: the prediction is the mean of the trees, not their sum. */
  average_output: boolean;
  tree_info: { tree_index: number; tree_structure: LightGBMNodeJson }[];
}

export function isLightGBMLeaf(node: LightGBMNodeJson): node is LightGBMLeafJson {
  return 'leaf_value' in node;
}

/** Dumps a saved model string as JSON through the native library (synchronously). */
export function dumpLightGBMModel(model: Uint8Array): LightGBMModelDump {
  const booster = LightGBMBooster.loadSync(model, 'INTERNAL');
  try {
    return parseLightGBMDump(booster.dumpModelSync());
  } finally {
    booster.free();
  }
}

export function parseLightGBMDump(text: string): LightGBMModelDump {
  let dump: Partial<LightGBMModelDump>;
  try {
    dump = JSON.parse(text) as Partial<LightGBMModelDump>;
  } catch (err) {
    throw new MlError('INTERNAL', `LightGBM model dump is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(dump.tree_info) || typeof dump.num_tree_per_iteration !== 'number' || typeof dump.objective !== 'string') {
    throw new MlError('INTERNAL', 'LightGBM model dump has no trees');
  }
  return dump as LightGBMModelDump;
}
