import type { OnnxMessage } from '../../onnx/onnx-builders';
import { onnxType } from '../../onnx/onnx-proto';

/** One exported model's graph, its values renamed so several can live in one graph. */
export interface Subgraph {
  nodes: OnnxMessage[];
  initializers: OnnxMessage[];
  valueInfo: OnnxMessage[];
  /** Output values (renamed) in the model's own order, by their original names. */
  outputs: Map<string, OnnxMessage>;
  opsets: { domain: string; version: number }[];
}

interface ModelObject {
  opsetImport?: { domain?: string; version?: number | string }[];
  graph?: { node?: OnnxMessage[]; input?: OnnxMessage[]; output?: OnnxMessage[]; initializer?: OnnxMessage[]; valueInfo?: OnnxMessage[] };
}

/**
 * Decodes a family's core ONNX model and prefixes every value and node name; its `features` input is wired to
 * `featuresFrom` instead, and outputs listed in `keep` keep their names (they become the merged graph's outputs).
 */
export function prefixedSubgraph(bytes: Uint8Array, prefix: string, featuresFrom: string, keep: ReadonlySet<string> = new Set()): Subgraph {
  const ModelProto = onnxType('ModelProto');
  const model = ModelProto.toObject(ModelProto.decode(bytes), { longs: String, arrays: true }) as ModelObject;
  const graph = model.graph ?? {};
  const inputs = (graph.input ?? []).map((i) => String(i.name));
  if (inputs.length !== 1 || inputs[0] !== 'features') throw new Error(`expected a core model with the single input \`features\`, got ${inputs.join(', ')}`);
  const rename = (name: string): string => {
    if (name === '') return name;
    if (name === 'features') return featuresFrom;
    return keep.has(name) ? name : prefix + name;
  };
  const renamed = (values: OnnxMessage[] | undefined) => (values ?? []).map((v) => ({ ...v, name: rename(String(v.name)) }));
  return {
    nodes: (graph.node ?? []).map((n) => ({
      ...n,
      name: prefix + String(n.name ?? ''),
      input: (n.input as string[]).map(rename),
      output: (n.output as string[]).map(rename),
    })),
    initializers: renamed(graph.initializer),
    valueInfo: renamed(graph.valueInfo),
    outputs: new Map((graph.output ?? []).map((o) => [String(o.name), { ...o, name: rename(String(o.name)) }])),
    opsets: (model.opsetImport ?? []).map(({ domain = '', version = 1 }) => ({ domain, version: Number(version) })),
  };
}

/** Each domain at the highest version any part asks for. */
export function unionOpsets(opsets: { domain: string; version: number }[]): { domain: string; version: number }[] {
  const versions = new Map<string, number>();
  for (const { domain, version } of opsets) versions.set(domain, Math.max(versions.get(domain) ?? 0, version));
  return [...versions].map(([domain, version]) => ({ domain, version }));
}
