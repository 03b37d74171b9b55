import { open, readFile } from 'node:fs/promises';
import type { Matrix } from '@trainyard/ml';

/**
 * The bench's raw matrix format, shared with the Python peers (bench/peers/matrix_file.py):
 * int32 rows, int32 cols, float32 data row-major, float32 labels. NaN is a missing value.
 */
export async function writeMatrixFile(path: string, m: Matrix): Promise<string> {
  const file = await open(path, 'w');
  try {
    await file.write(new Uint8Array(new Int32Array([m.rows, m.cols]).buffer));
    await file.write(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
    await file.write(new Uint8Array(m.labels.buffer, m.labels.byteOffset, m.labels.byteLength));
  } finally {
    await file.close();
  }
  return path;
}

export async function readMatrixFile(path: string): Promise<Matrix> {
  const bytes = await readFile(path);
  const [rows, cols] = new Int32Array(bytes.buffer, bytes.byteOffset, 2);
  // Copied out so the arrays are aligned and independent of Node's pooled buffer.
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 8, bytes.byteOffset + bytes.byteLength));
  return { rows: rows!, cols: cols!, data: floats.subarray(0, rows! * cols!), labels: floats.subarray(rows! * cols!, rows! * cols! + rows!) };
}

/** Plain float32 values with no header, as a peer writes its predictions. */
export async function readFloat32File(path: string): Promise<Float32Array> {
  const bytes = await readFile(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Rows [start, end) as a view sharing the matrix's memory. */
export function rowRange(m: Matrix, start: number, end: number): Matrix {
  const to = Math.min(end, m.rows);
  return { rows: to - start, cols: m.cols, data: m.data.subarray(start * m.cols, to * m.cols), labels: m.labels.subarray(start, to) };
}

/** A copy of the chosen rows, in the given order. */
export function pickRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const data = new Float32Array(rows.length * m.cols);
  const labels = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
    labels[i] = m.labels[r]!;
  }
  return { rows: rows.length, cols: m.cols, data, labels };
}
