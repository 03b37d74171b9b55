import type { PreprocessPlan } from './preprocess-plan';

/**
 * Imputes then scales an encoded row-major matrix in place, as the ONNX graph does in float32:
 * each step is rounded to float32 before the next, so both give bit-identical features.
 */
export function applyFeatureStats(plan: PreprocessPlan, data: Float32Array): Float32Array {
  const { imputeValues: fill, scaling } = plan;
  if (!fill && !scaling) return data;
  const cols = plan.featureNames.length;
  for (let i = 0; i < data.length; i++) {
    const c = i % cols;
    let v = data[i];
    if (fill && Number.isNaN(v)) v = fill[c];
    if (scaling) v = Math.fround(v - scaling.mean[c]) / scaling.std[c];
    data[i] = v;
  }
  return data;
}
