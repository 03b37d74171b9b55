import { MlError } from '../errors';
import type { XGBoostModelSummary } from '../engines/xgboost/xgboost-model-json';
import { attribute } from './onnx-builders';
import type { OnnxMessage } from './onnx-builders';

/** The nodes_* attributes shared by TreeEnsembleClassifier/Regressor, plus the leaf votes for class_* / target_*. */
export interface FlatTrees {
  branchAttributes: OnnxMessage[];
  leafTreeIds: number[];
  leafNodeIds: number[];
  leafOutputIds: number[];
  leafWeights: number[];
}

/**
 * Flattens XGBoost trees. XGBoost sends x < threshold left and missing values to default_left,
 * which is BRANCH_LT with true = left and missing_value_tracks_true = default_left.
 */
export function flattenTrees(model: XGBoostModelSummary, outputOf: (tree: number) => number): FlatTrees {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const modes: string[] = [];
  const featureIds: number[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTrue: number[] = [];
  const leaves: FlatTrees = { branchAttributes: [], leafTreeIds: [], leafNodeIds: [], leafOutputIds: [], leafWeights: [] };

  model.trees.forEach((tree, t) => {
    if (tree.split_type?.some((type) => type !== 0)) {
      throw new MlError('INTERNAL', `Tree ${t} has categorical splits, which the ONNX export does not support`);
    }
    tree.left_children.forEach((left, n) => {
      treeIds.push(t);
      nodeIds.push(n);
      if (left === -1) {
        modes.push('LEAF');
        featureIds.push(0);
        values.push(0);
        trueIds.push(0);
        falseIds.push(0);
        missingTrue.push(0);
        leaves.leafTreeIds.push(t);
        leaves.leafNodeIds.push(n);
        leaves.leafOutputIds.push(outputOf(t));
        leaves.leafWeights.push(tree.split_conditions[n]!);
        return;
      }
      modes.push('BRANCH_LT');
      featureIds.push(tree.split_indices[n]!);
      values.push(tree.split_conditions[n]!);
      trueIds.push(left);
      falseIds.push(tree.right_children[n]!);
      missingTrue.push(Number(tree.default_left[n]) ? 1 : 0);
    });
  });

  leaves.branchAttributes = [
    attribute('nodes_treeids', treeIds),
    attribute('nodes_nodeids', nodeIds),
    attribute('nodes_modes', modes),
    attribute('nodes_featureids', featureIds),
    attribute('nodes_values', { floats: values }),
    attribute('nodes_truenodeids', trueIds),
    attribute('nodes_falsenodeids', falseIds),
    attribute('nodes_missing_value_tracks_true', missingTrue),
  ];
  return leaves;
}
