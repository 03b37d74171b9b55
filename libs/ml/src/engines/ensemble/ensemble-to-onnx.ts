import { MlError } from '../../errors';
import { FLOAT, INT64, attribute, node, tensorValue } from '../../onnx/onnx-builders';
import type { OnnxMessage } from '../../onnx/onnx-builders';
import { AttributeType, onnxType } from '../../onnx/onnx-proto';
import { linearFamily } from '../linear/linear-family';
import type { OnnxCoreOptions } from '../model-family';
import { stackedWidth } from './ensemble-combine';
import { memberFamily } from './ensemble-members';
import { decodeEnsembleModel } from './ensemble-model';
import type { EnsembleModel } from './ensemble-model';
import { prefixedSubgraph, unionOpsets } from './onnx-subgraph';
import type { Subgraph } from './onnx-subgraph';

const IR_VERSION = 8;
const STACKED = 'stack/features';
const FINAL_OUTPUTS = new Set(['label', 'probabilities', 'variable']);

/**
 * One graph holding every member's core model on the shared `features` input (member i's values prefixed `m{i}/`),
 * then either the weighted mean of their outputs (Mul + Sum; ArgMax → `label`) or, for stacking, the meta-model's
 * linear graph (prefixed `meta/`) over the members' outputs concatenated as in stackedFeatures.
 */
export function ensembleToOnnx(bytes: Uint8Array, opts: OnnxCoreOptions): Uint8Array {
  const model = decodeEnsembleModel(bytes);
  if (model.task !== opts.task) throw new MlError('INTERNAL', `Cannot export a ${model.task} ensemble as ${opts.task}`);
  if (model.pending) throw new MlError('INTERNAL', 'Cannot export an ensemble checkpoint');
  const classes = model.numClasses;
  if (opts.classLabels && opts.classLabels.length !== classes) {
    throw new MlError('INTERNAL', `Model has ${classes} classes but ${opts.classLabels.length} class labels were given`);
  }
  const output = model.task === 'regression' ? 'variable' : 'probabilities';
  const members = model.members.map((m, i) => prefixedSubgraph(memberFamily(m.type).toOnnx(m.model, opts), `m${i}/`, 'features'));
  const memberOutputs = members.map((sub, i) => {
    const value = sub.outputs.get(output);
    if (!value) throw new MlError('INTERNAL', `ensemble member ${i} (${model.members[i]!.type}) has no \`${output}\` output`);
    return String(value.name);
  });
  const nodes: OnnxMessage[] = [];
  let meta: Subgraph | null = null;
  if (model.method === 'stacking' && model.meta) {
    nodes.push(...stackNodes(model, memberOutputs));
    const featureCount = members.length * stackedWidth(model.task, classes);
    meta = prefixedSubgraph(linearFamily.toOnnx(model.meta, { featureCount, task: model.task, classLabels: null }), 'meta/', STACKED, FINAL_OUTPUTS);
  } else {
    nodes.push(...averageNodes(model, memberOutputs, output));
    if (model.task === 'classification') nodes.push(node('ArgMax', ['probabilities'], ['label'], [attribute('axis', 1), attribute('keepdims', 0)]));
  }
  const outputs =
    model.task === 'regression'
      ? [tensorValue('variable', FLOAT, ['N', 1])]
      : [tensorValue('label', INT64, ['N']), tensorValue('probabilities', FLOAT, ['N', classes])];
  const metadata: Record<string, string> = {
    family: 'ensemble',
    method: model.method,
    members: JSON.stringify(model.members.map((m) => m.type)),
    ...(model.method === 'average' ? { weights: JSON.stringify(model.weights) } : {}),
    ...(opts.classLabels ? { class_labels: JSON.stringify(opts.classLabels) } : {}),
  };
  const parts = meta ? [...members, meta] : members;
  const message = {
    irVersion: IR_VERSION,
    producerName: 'trainyard',
    opsetImport: unionOpsets([{ domain: '', version: 17 }, ...parts.flatMap((p) => p.opsets)]),
    graph: {
      name: 'ensemble',
      // Members, then the combining nodes, then the meta-model: ONNX wants nodes in topological order.
      node: [...members.flatMap((p) => p.nodes), ...nodes, ...(meta?.nodes ?? [])],
      input: [tensorValue('features', FLOAT, ['N', opts.featureCount])],
      initializer: parts.flatMap((p) => p.initializers),
      valueInfo: parts.flatMap((p) => p.valueInfo),
      output: outputs,
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  const ModelProto = onnxType('ModelProto');
  return ModelProto.encode(ModelProto.fromObject(message)).finish();
}

function averageNodes(model: EnsembleModel, memberOutputs: string[], output: string): OnnxMessage[] {
  const nodes: OnnxMessage[] = [];
  const weighted = memberOutputs.map((value, i) => {
    nodes.push(floatConstant(`avg/w${i}`, [], [model.weights[i]!]));
    nodes.push(node('Mul', [value, `avg/w${i}`], [`avg/weighted${i}`], []));
    return `avg/weighted${i}`;
  });
  nodes.push(node('Sum', weighted, [output], []));
  return nodes;
}

/** Binary members contribute P(class 1) (column 1 of their probabilities); others their whole output. */
function stackNodes(model: EnsembleModel, memberOutputs: string[]): OnnxMessage[] {
  const nodes: OnnxMessage[] = [];
  let columns = memberOutputs;
  if (model.task === 'classification' && model.numClasses === 2) {
    nodes.push(int64Constant('stack/one', [1], [1]), int64Constant('stack/two', [1], [2]));
    columns = memberOutputs.map((value, i) => {
      nodes.push(node('Slice', [value, 'stack/one', 'stack/two', 'stack/one'], [`stack/p${i}`], []));
      return `stack/p${i}`;
    });
  }
  nodes.push(node('Concat', columns, [STACKED], [attribute('axis', 1)]));
  return nodes;
}

function floatConstant(name: string, dims: number[], values: number[]): OnnxMessage {
  const raw = Buffer.from(Float32Array.from(values).buffer);
  return node('Constant', [], [name], [{ name: 'value', type: AttributeType.TENSOR, t: { name, dims, dataType: FLOAT, rawData: raw } }]);
}

function int64Constant(name: string, dims: number[], values: number[]): OnnxMessage {
  const raw = Buffer.from(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  return node('Constant', [], [name], [{ name: 'value', type: AttributeType.TENSOR, t: { name, dims, dataType: INT64, rawData: raw } }]);
}
