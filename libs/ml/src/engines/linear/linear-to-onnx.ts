import { MlError } from '../../errors';
import type { OnnxCoreOptions } from '../model-family';
import { denseGraphToOnnx } from './dense-graph-to-onnx';
import { decodeLinearModel } from './linear-model';

/** One Gemm: a linear model is a dense network without hidden layers. */
export function linearToOnnx(bytes: Uint8Array, opts: OnnxCoreOptions): Uint8Array {
  const model = decodeLinearModel(bytes);
  if (model.task !== opts.task) throw new MlError('INTERNAL', `Cannot export a ${model.task} linear model as ${opts.task}`);
  const layer = {
    inputs: model.featureCount,
    outputs: model.outputs,
    weights: Float32Array.from(model.coefficients),
    bias: Float32Array.from(model.intercepts),
    activation: 'none' as const,
  };
  return denseGraphToOnnx([layer], {
    graphName: 'linear',
    featureCount: opts.featureCount,
    task: opts.task,
    numClasses: model.numClasses,
    classLabels: opts.classLabels,
    metadata: { family: 'linear', iterations: String(model.iterations) },
  });
}
