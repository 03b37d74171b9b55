/**
 * Fills `out` time-major [window, rows.length, cols] with each listed row's sequence: the window − 1 rows before it
 * then the row itself, oldest first. Rows before the first are the first row repeated (the matrix is its own history).
 * `data` is the row-major matrix in time order, already free of NaN.
 */
export function fillWindows(data: Float32Array, cols: number, window: number, rows: ArrayLike<number>, out: Float32Array): Float32Array {
  const batch = rows.length;
  for (let i = 0; i < batch; i++) {
    const row = rows[i]!;
    for (let step = 0; step < window; step++) {
      const source = Math.max(0, row - (window - 1) + step);
      out.set(data.subarray(source * cols, (source + 1) * cols), (step * batch + i) * cols);
    }
  }
  return out;
}

/** Rows from..from+count−1, as fillWindows takes them. */
export function rowRange(from: number, count: number): Uint32Array {
  return Uint32Array.from({ length: count }, (_, i) => from + i);
}
