import { AttributeType, TensorDataType, onnxType } from './onnx-proto';

/** Plain objects in protobufjs's camelCase field names; encodeModel verifies and serialises them. */
export type OnnxMessage = Record<string, unknown>;

export type AttributeValue = number | string | number[] | string[] | { floats: number[] } | { ints: number[] };

/** One attribute; plain numbers are ints unless wrapped as { floats }, so float lists are never guessed. */
export function attribute(name: string, value: AttributeValue): OnnxMessage {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: Buffer.from(value, 'utf8') };
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) {
      return { name, type: AttributeType.STRINGS, strings: (value as string[]).map((v) => Buffer.from(v, 'utf8')) };
    }
    return { name, type: AttributeType.INTS, ints: value };
  }
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: value.floats };
  return { name, type: AttributeType.INTS, ints: value.ints };
}

export function node(opType: string, inputs: string[], outputs: string[], attrs: OnnxMessage[] = [], domain = ''): OnnxMessage {
  return { opType, input: inputs, output: outputs, name: `${opType}_${outputs[0]}`, domain, attribute: attrs };
}

/** A tensor value description; a string dimension is symbolic (e.g. the batch size "N"). */
export function tensorValue(name: string, elemType: number, dims: (number | string)[]): OnnxMessage {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

export const FLOAT = TensorDataType.FLOAT;
export const INT64 = TensorDataType.INT64;

export interface ModelParts {
  graphName: string;
  nodes: OnnxMessage[];
  inputs: OnnxMessage[];
  outputs: OnnxMessage[];
  opsets: { domain: string; version: number }[];
  metadata?: Record<string, string>;
  producerVersion?: string;
}

/** IR version 8 is read by every onnxruntime since 1.12. */
const IR_VERSION = 8;

export function encodeModel(parts: ModelParts): Uint8Array {
  const ModelProto = onnxType('ModelProto');
  const message = {
    irVersion: IR_VERSION,
    producerName: 'trainyard',
    producerVersion: parts.producerVersion ?? '',
    opsetImport: parts.opsets,
    graph: { name: parts.graphName, node: parts.nodes, input: parts.inputs, output: parts.outputs },
    metadataProps: Object.entries(parts.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  const problem = ModelProto.verify(message);
  if (problem) throw new Error(`Invalid ONNX model message: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(message)).finish();
}
