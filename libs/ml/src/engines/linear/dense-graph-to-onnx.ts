import type { Task } from '@trainyard/contracts';
import { MlError } from '../../errors';
import { FLOAT, INT64, attribute, encodeModel, node, tensorValue } from '../../onnx/onnx-builders';
import type { OnnxMessage } from '../../onnx/onnx-builders';
import { AttributeType } from '../../onnx/onnx-proto';

/** The regression output every family's ONNX model shares (see model-family.ts). */
export const REGRESSION_OUTPUT = 'variable';

export interface DenseLayer {
  inputs: number;
  outputs: number;
  /** inputs×outputs, row-major: the Gemm B operand as-is. */
  weights: Float32Array;
  bias: Float32Array;
  activation: 'relu' | 'tanh' | 'none';
}

export interface DenseGraphOptions {
  graphName: string;
  featureCount: number;
  task: Task;
  /** Classes the last layer feeds (binary: one logit); ignored for regression. */
  numClasses: number;
  classLabels: string[] | null;
  /** Regression only: value = output·scale + shift, undoing target standardisation. */
  outputScale?: { scale: number; shift: number };
  metadata?: Record<string, string>;
}

const OPSETS = [{ domain: '', version: 17 }];

/**
 * A stack of Gemm layers as ONNX: NaN features become 0 (as in training), then each layer's Gemm and activation,
 * then Sigmoid → [1−p, p] (binary), Softmax (multiclass) or the raw value; `label` is the ArgMax of the probabilities.
 */
export function denseGraphToOnnx(layers: DenseLayer[], opts: DenseGraphOptions): Uint8Array {
  const first = layers[0];
  if (!first || first.inputs !== opts.featureCount) {
    throw new MlError('INTERNAL', `Model expects ${first?.inputs ?? 0} features but featureCount is ${opts.featureCount}`);
  }
  const nodes: OnnxMessage[] = [
    constant('zero', [], new Float32Array([0])),
    node('IsNaN', ['features'], ['missing'], []),
    node('Where', ['missing', 'zero', 'features'], ['input'], []),
  ];
  let current = 'input';
  layers.forEach((layer, i) => {
    nodes.push(constant(`W${i}`, [layer.inputs, layer.outputs], layer.weights), constant(`B${i}`, [layer.outputs], layer.bias));
    nodes.push(node('Gemm', [current, `W${i}`, `B${i}`], [`gemm${i}`], []));
    current = `gemm${i}`;
    if (layer.activation !== 'none') {
      const op = layer.activation === 'relu' ? 'Relu' : 'Tanh';
      nodes.push(node(op, [current], [`act${i}`], []));
      current = `act${i}`;
    }
  });
  const last = layers[layers.length - 1]!;
  const metadata = { ...opts.metadata, ...(opts.classLabels ? { class_labels: JSON.stringify(opts.classLabels) } : {}) };
  const common = { graphName: opts.graphName, inputs: [tensorValue('features', FLOAT, ['N', opts.featureCount])], opsets: OPSETS, metadata };

  if (opts.task === 'regression') {
    expectOutputs(last, 1);
    if (opts.outputScale) {
      nodes.push(constant('scale', [], new Float32Array([opts.outputScale.scale])), constant('shift', [], new Float32Array([opts.outputScale.shift])));
      nodes.push(node('Mul', [current, 'scale'], ['scaled'], []), node('Add', ['scaled', 'shift'], [REGRESSION_OUTPUT], []));
    } else {
      nodes.push(node('Identity', [current], [REGRESSION_OUTPUT], []));
    }
    return encodeModel({ ...common, nodes, outputs: [tensorValue(REGRESSION_OUTPUT, FLOAT, ['N', 1])] });
  }

  const classes = opts.numClasses;
  if (opts.classLabels && opts.classLabels.length !== classes) {
    throw new MlError('INTERNAL', `Model has ${classes} classes but ${opts.classLabels.length} class labels were given`);
  }
  if (classes === 2) {
    expectOutputs(last, 1);
    nodes.push(constant('one', [], new Float32Array([1])));
    nodes.push(node('Sigmoid', [current], ['positive'], []), node('Sub', ['one', 'positive'], ['negative'], []));
    nodes.push(node('Concat', ['negative', 'positive'], ['probabilities'], [attribute('axis', 1)]));
  } else {
    expectOutputs(last, classes);
    nodes.push(node('Softmax', [current], ['probabilities'], [attribute('axis', 1)]));
  }
  nodes.push(node('ArgMax', ['probabilities'], ['label'], [attribute('axis', 1), attribute('keepdims', 0)]));
  return encodeModel({
    ...common,
    nodes,
    outputs: [tensorValue('label', INT64, ['N']), tensorValue('probabilities', FLOAT, ['N', classes])],
  });
}

/** A Constant node holding float32 data as raw little-endian bytes. */
function constant(name: string, dims: number[], values: Float32Array): OnnxMessage {
  const raw = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const tensor = { name, dims, dataType: FLOAT, rawData: Buffer.from(raw) };
  return node('Constant', [], [name], [{ name: 'value', type: AttributeType.TENSOR, t: tensor }]);
}

function expectOutputs(layer: DenseLayer, outputs: number): void {
  if (layer.outputs !== outputs) throw new MlError('INTERNAL', `Last layer has ${layer.outputs} outputs, expected ${outputs}`);
}
