import { MlError } from '../../errors';
import { FLOAT, INT64, attribute, encodeModel, node, tensorValue } from '../../onnx/onnx-builders';
import type { OnnxMessage } from '../../onnx/onnx-builders';
import { AttributeType } from '../../onnx/onnx-proto';
import { outputUnits } from '../mlp/mlp-model';
import type { OnnxCoreOptions } from '../model-family';
import { decodeLstmModel } from './lstm-model';
import type { LstmModel } from './lstm-model';

// LSTM-14 (layout attribute) and Gather/Range/Squeeze with tensor axes.
const OPSETS = [{ domain: '', version: 17 }];

/** ONNX's gate order is i, o, f, c; TensorFlow.js stores i, f, c, o: ONNX gate g is tfjs block TFJS_BLOCK[g]. */
const TFJS_BLOCK = [0, 3, 1, 2];

/**
 * The LSTM as ONNX on row input `features` float[N, F], rows in time order: the graph builds each row's window from
 * the rows before it in the same batch (indices clamp(r − window + 1 + k, 0), so early rows repeat row 0, as predict
 * does), runs the standard `LSTM` operator over [window, N, F] and the dense layer on the last hidden state.
 */
export function lstmToOnnx(bytes: Uint8Array, opts: OnnxCoreOptions): Uint8Array {
  const model = decodeLstmModel(bytes);
  if (model.task !== opts.task) throw new MlError('INTERNAL', `Cannot export a ${model.task} LSTM as ${opts.task}`);
  if (opts.featureCount !== model.featureCount) {
    throw new MlError('INTERNAL', `Model expects ${model.featureCount} features but featureCount is ${opts.featureCount}`);
  }
  const { units, window } = model;
  const outputs = outputUnits(model.task, model.numClasses);
  const offsets = Array.from({ length: window }, (_, k) => k - (window - 1));
  const nodes: OnnxMessage[] = [
    floatConstant('zero', [], [0]),
    node('IsNaN', ['features'], ['missing'], []),
    node('Where', ['missing', 'zero', 'features'], ['rows'], []),
    // Window indices [N, window]: row r's step k reads row max(r − window + 1 + k, 0).
    int64Constant('i0', [], [0]),
    int64Constant('i1', [], [1]),
    int64Constant('offsets', [1, window], offsets),
    node('Shape', ['rows'], ['rows_shape'], [attribute('start', 0), attribute('end', 1)]),
    node('Squeeze', ['rows_shape'], ['row_count'], []),
    node('Range', ['i0', 'row_count', 'i1'], ['row_ids'], []),
    int64Constant('axis1', [1], [1]),
    node('Unsqueeze', ['row_ids', 'axis1'], ['row_column'], []),
    node('Add', ['row_column', 'offsets'], ['shifted'], []),
    node('Max', ['shifted', 'i0'], ['window_ids'], []),
    node('Gather', ['rows', 'window_ids'], ['windows'], [attribute('axis', 0)]),
    node('Transpose', ['windows'], ['sequence'], [attribute('perm', [1, 0, 2])]),
    floatConstant('W', [1, 4 * units, model.featureCount], gateRows(model.weights.kernel, model.featureCount, units)),
    floatConstant('R', [1, 4 * units, units], gateRows(model.weights.recurrentKernel, units, units)),
    floatConstant('B', [1, 8 * units], [...gateBias(model.weights.bias, units), ...new Array<number>(4 * units).fill(0)]),
    node('LSTM', ['sequence', 'W', 'R', 'B'], ['', 'last_h'], [attribute('hidden_size', units)]),
    int64Constant('axis0', [1], [0]),
    node('Squeeze', ['last_h', 'axis0'], ['hidden'], []),
    floatConstant('dense', [units, outputs], Array.from(model.weights.dense)),
    floatConstant('dense_bias', [outputs], Array.from(model.weights.denseBias)),
    node('Gemm', ['hidden', 'dense', 'dense_bias'], ['logits'], []),
  ];
  const metadata: Record<string, string> = {
    family: 'lstm',
    window: String(window),
    epochs: String(model.epochs),
    row_order: 'rows must be in time order; each row is predicted from itself and the window − 1 rows before it in the same batch',
    ...(opts.classLabels ? { class_labels: JSON.stringify(opts.classLabels) } : {}),
  };
  const common = { graphName: 'lstm', inputs: [tensorValue('features', FLOAT, ['N', model.featureCount])], opsets: OPSETS, metadata };
  if (model.task === 'regression') {
    const { mean, std } = model.target ?? { mean: 0, std: 1 };
    nodes.push(floatConstant('scale', [], [std]), floatConstant('shift', [], [mean]));
    nodes.push(node('Mul', ['logits', 'scale'], ['scaled'], []), node('Add', ['scaled', 'shift'], ['variable'], []));
    return encodeModel({ ...common, nodes, outputs: [tensorValue('variable', FLOAT, ['N', 1])] });
  }
  nodes.push(...classifierTail(model));
  return encodeModel({
    ...common,
    nodes,
    outputs: [tensorValue('label', INT64, ['N']), tensorValue('probabilities', FLOAT, ['N', model.numClasses])],
  });
}

function classifierTail(model: LstmModel): OnnxMessage[] {
  const argMax = node('ArgMax', ['probabilities'], ['label'], [attribute('axis', 1), attribute('keepdims', 0)]);
  if (model.numClasses !== 2) return [node('Softmax', ['logits'], ['probabilities'], [attribute('axis', 1)]), argMax];
  return [
    floatConstant('one', [], [1]),
    node('Sigmoid', ['logits'], ['positive'], []),
    node('Sub', ['one', 'positive'], ['negative'], []),
    node('Concat', ['negative', 'positive'], ['probabilities'], [attribute('axis', 1)]),
    argMax,
  ];
}

/** A tfjs [inputs, 4·units] kernel as ONNX's [4·units, inputs] rows in gate order i, o, f, c. */
function gateRows(kernel: Float32Array, inputs: number, units: number): number[] {
  const out = new Array<number>(4 * units * inputs);
  for (let g = 0; g < 4; g++) {
    const block = TFJS_BLOCK[g]!;
    for (let u = 0; u < units; u++) {
      for (let j = 0; j < inputs; j++) out[(g * units + u) * inputs + j] = kernel[j * 4 * units + block * units + u]!;
    }
  }
  return out;
}

function gateBias(bias: Float32Array, units: number): number[] {
  return TFJS_BLOCK.flatMap((block) => Array.from(bias.subarray(block * units, (block + 1) * units)));
}

function floatConstant(name: string, dims: number[], values: number[]): OnnxMessage {
  const raw = Buffer.from(Float32Array.from(values).buffer);
  return node('Constant', [], [name], [{ name: 'value', type: AttributeType.TENSOR, t: { name, dims, dataType: FLOAT, rawData: raw } }]);
}

function int64Constant(name: string, dims: number[], values: number[]): OnnxMessage {
  const raw = Buffer.from(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  return node('Constant', [], [name], [{ name: 'value', type: AttributeType.TENSOR, t: { name, dims, dataType: INT64, rawData: raw } }]);
}
