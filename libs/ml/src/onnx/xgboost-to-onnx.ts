import { MlError } from '../errors';
import { readXGBoostModel } from '../engines/xgboost/xgboost-model-json';
import type { XGBoostModelSummary } from '../engines/xgboost/xgboost-model-json';
import { FLOAT, INT64, attribute, encodeModel, node, tensorValue } from './onnx-builders';
import type { OnnxMessage } from './onnx-builders';
import { binaryClassifierOutputs } from './binary-outputs';
import { flattenTrees } from './tree-ensemble-nodes';

export interface XGBoostToOnnxOptions {
  featureCount: number;
  task: 'classification' | 'regression';
  /** Recorded in metadata; the `label` output is always the int64 class index. */
  classLabels: string[] | null;
}

const ML_DOMAIN = 'ai.onnx.ml';
const OPSETS = [{ domain: '', version: 17 }, { domain: ML_DOMAIN, version: 3 }];

/**
 * Converts an XGBoost JSON model to ONNX: input `features` float [N, featureCount]; outputs `label` + `probabilities`
 * (classification) or `value` [N, 1] (regression).
 */
export function xgboostToOnnx(modelJson: Uint8Array, opts: XGBoostToOnnxOptions): Uint8Array {
  const model = readXGBoostModel(modelJson);
  if (model.numFeature > opts.featureCount) {
    throw new MlError('INTERNAL', `Model uses ${model.numFeature} features but featureCount is ${opts.featureCount}`);
  }
  const input = tensorValue('features', FLOAT, ['N', opts.featureCount]);
  const metadata: Record<string, string> = { objective: model.objective, rounds: String(roundCount(model)) };
  if (opts.classLabels) metadata.class_labels = JSON.stringify(opts.classLabels);
  const common = { graphName: 'xgboost', inputs: [input], opsets: OPSETS, metadata };

  if (opts.task === 'regression') {
    expectObjective(model, ['reg:squarederror']);
    return encodeModel({ ...common, nodes: [regressorNode(model, model.baseScore[0]!, 'variable')], outputs: [tensorValue('variable', FLOAT, ['N', 1])] });
  }
  expectObjective(model, ['binary:logistic', 'multi:softprob']);
  const classes = model.objective === 'binary:logistic' ? 2 : model.numClass;
  if (opts.classLabels && opts.classLabels.length !== classes) {
    throw new MlError('INTERNAL', `Model has ${classes} classes but ${opts.classLabels.length} class labels were given`);
  }
  const nodes = model.objective === 'binary:logistic'
    ? [regressorNode(model, probabilityToMargin(model.baseScore[0]!), 'margin'), ...binaryClassifierOutputs('margin')]
    : [classifierNode(model, classes)];
  return encodeModel({
    ...common,
    nodes,
    outputs: [tensorValue('label', INT64, ['N']), tensorValue('probabilities', FLOAT, ['N', classes])],
  });
}

/** multi:softprob: one tree per class and round, each adding to its class's margin. */
function classifierNode(model: XGBoostModelSummary, classes: number): OnnxMessage {
  const nodes = flattenTrees(model, (tree) => model.treeInfo[tree]!);
  return node(
    'TreeEnsembleClassifier',
    ['features'],
    ['label', 'probabilities'],
    [
      ...nodes.branchAttributes,
      attribute('class_treeids', nodes.leafTreeIds),
      attribute('class_nodeids', nodes.leafNodeIds),
      attribute('class_ids', nodes.leafOutputIds),
      attribute('class_weights', { floats: nodes.leafWeights }),
      attribute('classlabels_int64s', Array.from({ length: classes }, (_, i) => i)),
      attribute('base_values', { floats: perClass(model.baseScore, classes) }),
      attribute('post_transform', 'SOFTMAX'),
    ],
    ML_DOMAIN,
  );
}

/** The sum of every tree's leaf and `base` as one output [N, 1]: a regression's value, or a binary model's margin. */
function regressorNode(model: XGBoostModelSummary, base: number, output: string): OnnxMessage {
  const nodes = flattenTrees(model, () => 0);
  return node(
    'TreeEnsembleRegressor',
    ['features'],
    [output],
    [
      ...nodes.branchAttributes,
      attribute('target_treeids', nodes.leafTreeIds),
      attribute('target_nodeids', nodes.leafNodeIds),
      attribute('target_ids', nodes.leafOutputIds),
      attribute('target_weights', { floats: nodes.leafWeights }),
      attribute('n_targets', 1),
      attribute('base_values', { floats: [base] }),
      attribute('aggregate_function', 'SUM'),
      attribute('post_transform', 'NONE'),
    ],
    ML_DOMAIN,
  );
}

/** binary:logistic stores base_score as a probability; the trees add to its logit, computed in float as XGBoost does. */
function probabilityToMargin(p: number): number {
  const f = Math.fround;
  return f(-Math.log(f(f(1 / f(p)) - 1)));
}

/** XGBoost 3.x writes one margin per class; older models write one value shared by all classes. */
function perClass(baseScore: number[], classes: number): number[] {
  if (baseScore.length === classes) return baseScore;
  if (baseScore.length === 1) return new Array<number>(classes).fill(baseScore[0]!);
  throw new MlError('INTERNAL', `base_score has ${baseScore.length} values for ${classes} classes`);
}

function expectObjective(model: XGBoostModelSummary, allowed: string[]): void {
  if (!allowed.includes(model.objective)) {
    throw new MlError('INTERNAL', `Cannot export XGBoost objective ${model.objective} (supported: ${allowed.join(', ')})`);
  }
}

function roundCount(model: XGBoostModelSummary): number {
  const perRound = model.objective === 'multi:softprob' ? Math.max(1, model.numClass) : 1;
  return model.trees.length / perRound;
}
