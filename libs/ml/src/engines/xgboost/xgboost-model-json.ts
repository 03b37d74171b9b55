import { MlError } from '../../errors';

/** One tree as XGBoost's JSON model stores it: parallel arrays indexed by node id; leaves have left child -1. */
export interface XGBoostTreeJson {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  /** Split threshold for inner nodes; the leaf value for leaves. */
  split_conditions: number[];
  default_left: (number | boolean)[];
  loss_changes: number[];
  split_type?: number[];
}

/** The parts of XGBoost's JSON model the engine and the ONNX exporter read. */
export interface XGBoostModelSummary {
  objective: string;
  numClass: number;
  numFeature: number;
  /** Stored base_score values, as written (a probability for binary:logistic). */
  baseScore: number[];
  trees: XGBoostTreeJson[];
  /** Output group (class) of each tree. */
  treeInfo: number[];
  attributes: Record<string, string>;
}

interface RawModel {
  learner?: {
    attributes?: Record<string, string>;
    learner_model_param?: { base_score?: string; num_class?: string; num_feature?: string };
    objective?: { name?: string };
    gradient_booster?: { name?: string; model?: { trees?: XGBoostTreeJson[]; tree_info?: number[] } };
  };
}

/** Parses XGBoost's JSON model bytes; throws INTERNAL when the document is not a gbtree model. */
export function readXGBoostModel(bytes: Uint8Array): XGBoostModelSummary {
  let raw: RawModel;
  try {
    raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as RawModel;
  } catch (err) {
    throw new MlError('INTERNAL', `XGBoost model is not valid JSON: ${(err as Error).message}`);
  }
  const learner = raw.learner;
  const booster = learner?.gradient_booster;
  const model = booster?.model;
  if (!learner || booster?.name !== 'gbtree' || !model?.trees || !model.tree_info) {
    throw new MlError('INTERNAL', 'XGBoost model JSON has no gbtree learner', { booster: booster?.name ?? null });
  }
  const param = learner.learner_model_param ?? {};
  return {
    objective: learner.objective?.name ?? '',
    numClass: Number(param.num_class ?? 0),
    numFeature: Number(param.num_feature ?? 0),
    baseScore: parseBaseScore(param.base_score ?? '0.5'),
    trees: model.trees,
    treeInfo: model.tree_info,
    attributes: learner.attributes ?? {},
  };
}

/** XGBoost 3.x writes base_score as a bracketed vector ("[5E-1]"); older models write a bare number. */
export function parseBaseScore(text: string): number[] {
  const inner = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  const values = inner.split(',').map((s) => Number(s.trim()));
  if (!values.length || values.some((v) => !Number.isFinite(v))) {
    throw new MlError('INTERNAL', `Unreadable XGBoost base_score ${JSON.stringify(text)}`);
  }
  return values;
}

/** Average split gain per feature (XGBoost's "gain" importance), normalised to sum to 1. */
export function gainImportance(model: XGBoostModelSummary): number[] {
  const total = new Array<number>(model.numFeature).fill(0);
  const count = new Array<number>(model.numFeature).fill(0);
  for (const tree of model.trees) {
    tree.left_children.forEach((left, node) => {
      if (left === -1) return;
      const feature = tree.split_indices[node]!;
      total[feature] = (total[feature] ?? 0) + tree.loss_changes[node]!;
      count[feature] = (count[feature] ?? 0) + 1;
    });
  }
  const gain = total.map((t, f) => (count[f] ? t / count[f]! : 0));
  const sum = gain.reduce((a, b) => a + b, 0);
  return sum > 0 ? gain.map((g) => g / sum) : gain;
}
