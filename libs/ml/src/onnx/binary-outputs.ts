import { attribute, node } from './onnx-builders';
import type { OnnxMessage } from './onnx-builders';

/**
 * The `probabilities` [N, 2] and `label` [N] outputs of a binary classifier from its raw margin [N, 1].
 *
 * Tree exports sum the margin with a one-output TreeEnsembleRegressor and add these nodes, instead of using a
 * two-class TreeEnsembleClassifier: onnxruntime keeps one number per row on a one-output ensemble, but a vector of
 * scores per row on a classifier, and that alone made a 100-tree XGBoost model score about 15% slower.
 * The label is the arg-max, so a probability of exactly 0.5 is class 0, as in the multi-class exports.
 */
export function binaryClassifierOutputs(margin: string): OnnxMessage[] {
  return [
    node('Sigmoid', [margin], ['positive']),
    node('Neg', [margin], ['negative_margin']),
    node('Sigmoid', ['negative_margin'], ['negative']),
    node('Concat', ['negative', 'positive'], ['probabilities'], [attribute('axis', 1)]),
    node('ArgMax', ['probabilities'], ['label'], [attribute('axis', 1), attribute('keepdims', 0)]),
  ];
}
