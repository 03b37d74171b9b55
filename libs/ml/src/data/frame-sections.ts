import type { BundleArray } from './binary-bundle';
import { type ColumnType, type Frame, type FrameColumn, stringAt, stringColumn } from './frame';
import { StringDictionary } from './string-dictionary';

/** What a bundle's header says of a frame stored in it; its arrays are named `<prefix><column index>.<part>`. */
export interface FrameSectionsMeta {
  rowCount: number;
  columns: { name: string; type: ColumnType; nullCount: number }[];
}

/** A frame as bundle sections: numeric columns as float64 values, string columns as codes plus dictionary bytes. */
export function frameSections(frame: Frame, prefix: string, arrays: Map<string, BundleArray>): FrameSectionsMeta {
  frame.columns.forEach((c, i) => {
    if (c.type !== 'string') {
      arrays.set(`${prefix}${i}.values`, c.values);
      return;
    }
    const { bytes, ends } = c.dictionary.raw;
    arrays.set(`${prefix}${i}.codes`, c.codes);
    arrays.set(`${prefix}${i}.ends`, ends);
    arrays.set(`${prefix}${i}.bytes`, bytes);
  });
  return { rowCount: frame.rowCount, columns: frame.columns.map(({ name, type, nullCount }) => ({ name, type, nullCount })) };
}

export function frameFromSections(meta: FrameSectionsMeta, prefix: string, arrays: ReadonlyMap<string, BundleArray>): Frame {
  const part = <T extends BundleArray>(i: number, name: string) => {
    const a = arrays.get(`${prefix}${i}.${name}`);
    if (!a) throw new Error(`bundle has no ${prefix}${i}.${name}`);
    return a as T;
  };
  const columns = meta.columns.map(({ name, type, nullCount }, i): FrameColumn => {
    if (type !== 'string') return { name, type, nullCount, values: part<Float64Array>(i, 'values') };
    const dictionary = new StringDictionary({ bytes: part<Uint8Array<ArrayBuffer>>(i, 'bytes'), ends: part<Int32Array<ArrayBuffer>>(i, 'ends') });
    return { name, type, nullCount, codes: part<Int32Array>(i, 'codes'), dictionary };
  });
  return { rowCount: meta.rowCount, columns };
}

/** The frame with each string column's dictionary cut down to the values its rows use (for a small sample of a big frame). */
export function withCompactStrings(frame: Frame): Frame {
  return {
    rowCount: frame.rowCount,
    columns: frame.columns.map((c) => (c.type === 'string' ? { ...stringColumn(c.name, Array.from(c.codes, (_, row) => stringAt(c, row))), nullCount: c.nullCount } : c)),
  };
}
