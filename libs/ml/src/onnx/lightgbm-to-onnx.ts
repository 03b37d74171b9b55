import { MlError } from '../errors';
import { isLightGBMLeaf, parseLightGBMDump } from '../engines/lightgbm/lightgbm-model-json';
import type { LightGBMModelDump, LightGBMNodeJson, LightGBMSplitJson } from '../engines/lightgbm/lightgbm-model-json';
import { FLOAT, INT64, attribute, encodeModel, node, tensorValue } from './onnx-builders';
import type { OnnxMessage } from './onnx-builders';
import { binaryClassifierOutputs } from './binary-outputs';

export interface LightGBMToOnnxOptions {
  featureCount: number;
  task: 'classification' | 'regression';
  /** Recorded in metadata; the `label` output is always the int64 class index. */
  classLabels: string[] | null;
}

const ML_DOMAIN = 'ai.onnx.ml';
const OPSETS = [{ domain: '', version: 17 }, { domain: ML_DOMAIN, version: 3 }];

/** LightGBM's kZeroThreshold: its dense predictor reads |x| <= this as 0 (a float constant, so exact in float32). */
const ZERO_BAND = Math.fround(1e-35);

/**
 * Converts LightGBM's JSON dump to ONNX: input `features` float [N, featureCount]; outputs `label` + `probabilities`
 * (classification) or `variable` [N, 1] (regression).
 */
export function lightgbmToOnnx(dump: LightGBMModelDump | string, opts: LightGBMToOnnxOptions): Uint8Array {
  const model = typeof dump === 'string' ? parseLightGBMDump(dump) : dump;
  if (model.max_feature_idx + 1 > opts.featureCount) {
    throw new MlError('INTERNAL', `Model uses ${model.max_feature_idx + 1} features but featureCount is ${opts.featureCount}`);
  }
  const objective = readObjective(model.objective);
  const perIteration = model.num_tree_per_iteration;
  // rf mode averages the iterations instead of summing them; scaling each leaf gives the same mean.
  const rounds = model.tree_info.length / perIteration;
  const scale = (model.average_output ? 1 / rounds : 1) * objective.sigmoid;
  const input = tensorValue('features', FLOAT, ['N', opts.featureCount]);
  const metadata: Record<string, string> = { objective: model.objective, rounds: String(rounds) };
  if (opts.classLabels) metadata.class_labels = JSON.stringify(opts.classLabels);
  const common = { graphName: 'lightgbm', inputs: [input], opsets: OPSETS, metadata };

  if (opts.task === 'regression') {
    expectObjective(objective.name, ['regression'], model.objective);
    const trees = flattenTrees(model, () => 0, scale);
    return encodeModel({ ...common, nodes: [regressorNode(trees, 'variable')], outputs: [tensorValue('variable', FLOAT, ['N', 1])] });
  }
  expectObjective(objective.name, ['binary', 'multiclass'], model.objective);
  const classes = objective.name === 'binary' ? 2 : model.num_class;
  if (opts.classLabels && opts.classLabels.length !== classes) {
    throw new MlError('INTERNAL', `Model has ${classes} classes but ${opts.classLabels.length} class labels were given`);
  }
  const trees = flattenTrees(model, (tree) => (classes === 2 ? 0 : tree % perIteration), scale);
  const nodes = classes === 2 ? [regressorNode(trees, 'margin'), ...binaryClassifierOutputs('margin')] : [classifierNode(trees, classes)];
  return encodeModel({
    ...common,
    nodes,
    outputs: [tensorValue('label', INT64, ['N']), tensorValue('probabilities', FLOAT, ['N', classes])],
  });
}

/** The nodes_* columns shared by TreeEnsembleClassifier/Regressor, plus the leaf votes for class_* / target_*. */
interface FlatTrees {
  treeIds: number[];
  nodeIds: number[];
  modes: string[];
  featureIds: number[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
  leafTreeIds: number[];
  leafNodeIds: number[];
  leafOutputIds: number[];
  leafWeights: number[];
}

function branchAttributes(flat: FlatTrees): OnnxMessage[] {
  return [
    attribute('nodes_treeids', flat.treeIds),
    attribute('nodes_nodeids', flat.nodeIds),
    attribute('nodes_modes', flat.modes),
    attribute('nodes_featureids', flat.featureIds),
    attribute('nodes_values', { floats: flat.values }),
    attribute('nodes_truenodeids', flat.trueIds),
    attribute('nodes_falsenodeids', flat.falseIds),
    attribute('nodes_missing_value_tracks_true', flat.missingTrue),
  ];
}

/** multiclass: one tree per class and iteration, each adding to its class's margin. */
function classifierNode(trees: FlatTrees, classes: number): OnnxMessage {
  return node(
    'TreeEnsembleClassifier',
    ['features'],
    ['label', 'probabilities'],
    [
      ...branchAttributes(trees),
      attribute('class_treeids', trees.leafTreeIds),
      attribute('class_nodeids', trees.leafNodeIds),
      attribute('class_ids', trees.leafOutputIds),
      attribute('class_weights', { floats: trees.leafWeights }),
      attribute('classlabels_int64s', Array.from({ length: classes }, (_, i) => i)),
      attribute('post_transform', 'SOFTMAX'),
    ],
    ML_DOMAIN,
  );
}

/** The sum of every tree's leaf as one output [N, 1]: a regression's value, or a binary model's margin. */
function regressorNode(trees: FlatTrees, output: string): OnnxMessage {
  return node(
    'TreeEnsembleRegressor',
    ['features'],
    [output],
    [
      ...branchAttributes(trees),
      attribute('target_treeids', trees.leafTreeIds),
      attribute('target_nodeids', trees.leafNodeIds),
      attribute('target_ids', trees.leafOutputIds),
      attribute('target_weights', { floats: trees.leafWeights }),
      attribute('n_targets', 1),
      attribute('aggregate_function', 'SUM'),
      attribute('post_transform', 'NONE'),
    ],
    ML_DOMAIN,
  );
}

/** Appends one node to a tree's columns and returns its index in them. */
function pushNode(flat: FlatTrees, tree: number, id: number, mode: string, feature: number, value: number, tracksTrue: boolean): number {
  flat.treeIds.push(tree);
  flat.nodeIds.push(id);
  flat.modes.push(mode);
  flat.featureIds.push(feature);
  flat.values.push(value);
  flat.trueIds.push(0);
  flat.falseIds.push(0);
  flat.missingTrue.push(tracksTrue ? 1 : 0);
  return flat.treeIds.length - 1;
}

function pushLeaf(flat: FlatTrees, tree: number, id: number, output: number, weight: number): void {
  pushNode(flat, tree, id, 'LEAF', 0, 0, false);
  flat.leafTreeIds.push(tree);
  flat.leafNodeIds.push(id);
  flat.leafOutputIds.push(output);
  flat.leafWeights.push(weight);
}


/** Flattens every tree, numbering nodes depth-first; `scale` multiplies each leaf value. */
function flattenTrees(model: LightGBMModelDump, outputOf: (tree: number) => number, scale: number): FlatTrees {
  const flat: FlatTrees = {
    treeIds: [], nodeIds: [], modes: [], featureIds: [], values: [], trueIds: [], falseIds: [], missingTrue: [],
    leafTreeIds: [], leafNodeIds: [], leafOutputIds: [], leafWeights: [],
  };
  for (const info of model.tree_info) {
    const tree = info.tree_index;
    let nextId = 0;
    const branch: Branch = (mode, feature, value, tracksTrue, onTrue, onFalse) => {
      const id = nextId++;
      const at = pushNode(flat, tree, id, mode, feature, value, tracksTrue);
      flat.trueIds[at] = onTrue();
      flat.falseIds[at] = onFalse();
      return id;
    };
    const emit = (n: LightGBMNodeJson): number => {
      if (!isLightGBMLeaf(n)) return emitSplit(n, branch, emit, tree);
      const id = nextId++;
      pushLeaf(flat, tree, id, outputOf(tree), n.leaf_value * scale);
      return id;
    };
    emit(info.tree_structure);
  }
  return flat;
}

type Branch = (mode: string, feature: number, value: number, tracksTrue: boolean, onTrue: () => number, onFalse: () => number) => number;

/**
 * LightGBM sends x <= threshold left (compared in double). NaN goes to default_left for missing_type NaN,
 * is read as 0 for None, and joins zero on the default side for Zero.
 */
function emitSplit(split: LightGBMSplitJson, branch: Branch, emit: (n: LightGBMNodeJson) => number, tree: number): number {
  if (split.decision_type !== '<=') {
    throw new MlError('INTERNAL', `Tree ${tree} has a ${split.decision_type} (categorical) split, which the ONNX export does not support`);
  }
  const threshold = Number(split.threshold);
  const feature = split.split_feature;
  const cut = floatCut(threshold);
  const left = () => emit(split.left_child);
  const right = () => emit(split.right_child);
  const ordinary = (tracksTrue: boolean) => branch('BRANCH_LEQ', feature, cut, tracksTrue, left, right);
  const zeroGoesLeft = 0 <= threshold;
  if (split.missing_type === 'NaN') return ordinary(split.default_left);
  if (split.missing_type === 'None' || zeroGoesLeft === split.default_left) return ordinary(zeroGoesLeft);
  // Zero whose default side differs from where zero would fall: test the zero band explicitly.
  const toDefault = split.default_left ? left : right;
  return branch('BRANCH_LT', feature, -ZERO_BAND, false, () => ordinary(false), () =>
    branch('BRANCH_LEQ', feature, ZERO_BAND, true, toDefault, () => ordinary(false)),
  );
}

/**
 * The float32 threshold for BRANCH_LEQ. LightGBM reads every |x| <= ZERO_BAND as exactly 0 before comparing, so a
 * threshold inside the band moves to its edge, sending the whole band where 0 goes.
 */
function floatCut(threshold: number): number {
  // The dump clamps an infinite threshold (a split keeping every number on the left) to 1e300.
  if (threshold >= DUMPED_INFINITY) return Number.POSITIVE_INFINITY;
  if (threshold < -ZERO_BAND || threshold >= ZERO_BAND) return floatAtOrBelow(threshold);
  return threshold >= 0 ? ZERO_BAND : nextFloatDown(-ZERO_BAND);
}

const DUMPED_INFINITY = 1e300;
const scratch = new Float32Array(1);
const scratchBits = new Int32Array(scratch.buffer);

/** The largest float32 f with f <= t, so `x <= f` on float32 x agrees with LightGBM's `(double)x <= t`. */
export function floatAtOrBelow(t: number): number {
  const f = Math.fround(t);
  return f <= t ? f : nextFloatDown(f);
}

/** The float32 just below a float32 f. */
function nextFloatDown(f: number): number {
  scratch[0] = f;
  // Stepping the bit pattern moves one float toward zero for positives and away from it for negatives.
  if (f > 0) scratchBits[0] = scratchBits[0]! - 1;
  else if (f < 0) scratchBits[0] = scratchBits[0]! + 1;
  else scratchBits[0] = 0x80000001 | 0;
  return scratch[0]!;
}

interface Objective {
  name: string;
  /** Binary objectives apply sigmoid(sigmoid * raw). */
  sigmoid: number;
}

function readObjective(text: string): Objective {
  const [name = '', ...options] = text.trim().split(/\s+/);
  const sigmoidOption = options.find((o) => o.startsWith('sigmoid:'));
  return { name, sigmoid: sigmoidOption ? Number(sigmoidOption.slice('sigmoid:'.length)) : 1 };
}

function expectObjective(name: string, allowed: string[], full: string): void {
  if (!allowed.includes(name)) {
    throw new MlError('INTERNAL', `Cannot export LightGBM objective ${full} (supported here: ${allowed.join(', ')})`);
  }
}
