import type { Frame } from './frame';

/**
 * Holds the float columns of a frame as float32, in place, and returns the bytes that frees. The engines train on
 * float32 matrices, so a feature's values reach them unchanged; a frame of float features then takes half the
 * memory while it is encoded. Columns in `keep` (a target, a time or series column) stay float64, as do integer
 * columns (ids, counts past 2^24), booleans and datetimes. The float64 arrays go at the next garbage collection.
 */
export function narrowFloatColumns(frame: Frame, keep: ReadonlySet<string>): number {
  let freed = 0;
  frame.columns.forEach((column, i) => {
    if (column.type !== 'number' || keep.has(column.name) || column.values instanceof Float32Array) return;
    freed += column.values.byteLength / 2;
    frame.columns[i] = { ...column, values: new Float32Array(column.values) };
  });
  return freed;
}
