import { parseDatetime } from '../data/cell-values';
import { datasetInvalid } from '../data/dataset-invalid';
import { column, type Frame, stringAt } from '../data/frame';

/** Each row's time in epoch ms (or the column's number); -Infinity when missing, so such rows sort first. */
export function timeValues(frame: Frame, timeColumn: string): Float64Array {
  const time = column(frame, timeColumn);
  if (!time) throw datasetInvalid(`time column "${timeColumn}" is not in the dataset`, { column: timeColumn });
  return Float64Array.from({ length: frame.rowCount }, (_, row) => {
    let t: number;
    if (time.type === 'string') {
      const text = stringAt(time, row);
      t = text === null ? NaN : parseDatetime(text);
    } else {
      t = time.values[row];
    }
    return Number.isNaN(t) ? -Infinity : t;
  });
}

/** `rows` sorted by `times[row]`, ties in row order, so the order is the same on every run. */
export function sortByTime(rows: ArrayLike<number>, times: Float64Array): Int32Array {
  return Int32Array.from(rows).sort((a, b) => times[a] - times[b] || a - b);
}

/** Every frame row in time order. */
export function frameTimeOrder(frame: Frame, timeColumn: string): Int32Array {
  return sortByTime(Int32Array.from({ length: frame.rowCount }, (_, i) => i), timeValues(frame, timeColumn));
}
