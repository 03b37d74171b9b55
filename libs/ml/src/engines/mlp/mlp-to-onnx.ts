import { MlError } from '../../errors';
import type { OnnxCoreOptions } from '../model-family';
import { denseGraphToOnnx } from '../linear/dense-graph-to-onnx';
import { decodeMlpModel } from './mlp-model';

/** Gemm + activation per hidden layer, then the task's output transform (see denseGraphToOnnx). */
export function mlpToOnnx(bytes: Uint8Array, opts: OnnxCoreOptions): Uint8Array {
  const model = decodeMlpModel(bytes);
  if (model.task !== opts.task) throw new MlError('INTERNAL', `Cannot export a ${model.task} MLP as ${opts.task}`);
  const last = model.layers.length - 1;
  const layers = model.layers.map((l, i) => ({ ...l, activation: i === last ? ('none' as const) : model.activation }));
  return denseGraphToOnnx(layers, {
    graphName: 'mlp',
    featureCount: opts.featureCount,
    task: model.task,
    numClasses: model.numClasses,
    classLabels: opts.classLabels,
    outputScale: model.target ? { scale: model.target.std, shift: model.target.mean } : undefined,
    metadata: { family: 'mlp', epochs: String(model.epochs) },
  });
}
