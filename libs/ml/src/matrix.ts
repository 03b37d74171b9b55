/** A dense row-major float32 feature matrix with its labels, as the engines and ONNX take it. NaN is a missing value. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
  /** Class index (classification) or target value (regression), one per row. */
  labels: Float32Array;
  /** Per-row sample weights (e.g. balanced class weights); absent means every row counts once. */
  weights?: Float32Array;
}

export function matrixRow(m: Matrix, row: number): Float32Array {
  return m.data.subarray(row * m.cols, (row + 1) * m.cols);
}
