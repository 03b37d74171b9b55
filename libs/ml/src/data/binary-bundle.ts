import { open } from 'node:fs/promises';
import { MlError } from '../errors';

/**
 * One file holding a JSON header and named typed arrays, each 8-byte aligned: written as a list of pieces (never
 * joined in memory) and read straight into fresh arrays, so a million-row matrix is read once into its own memory.
 * Layout: 8-byte magic, uint32 LE header length, header JSON, padding, then the arrays in header order.
 */
const MAGIC = 'TYBUNDL1';
const ALIGN = 8;

export type BundleArray = Float32Array | Float64Array | Int32Array | Uint8Array;
type ArrayKind = 'float32' | 'float64' | 'int32' | 'uint8';

interface SectionEntry {
  name: string;
  kind: ArrayKind;
  length: number;
  offset: number;
}

interface BundleHeader {
  meta: unknown;
  sections: SectionEntry[];
}

export interface Bundle<M> {
  meta: M;
  arrays: Map<string, BundleArray>;
}

const kindOf = (a: BundleArray): ArrayKind =>
  a instanceof Float32Array ? 'float32' : a instanceof Float64Array ? 'float64' : a instanceof Int32Array ? 'int32' : 'uint8';

const CONSTRUCTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint8: Uint8Array } as const;

/** The bundle's bytes, as pieces in file order (views of the arrays, not copies). */
export function bundlePieces(meta: unknown, arrays: ReadonlyMap<string, BundleArray>): Uint8Array[] {
  const sections: SectionEntry[] = [];
  let offset = 0;
  for (const [name, array] of arrays) {
    sections.push({ name, kind: kindOf(array), length: array.length, offset });
    offset = align(offset + array.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ meta, sections } satisfies BundleHeader));
  const prefix = Buffer.alloc(align(MAGIC.length + 4 + header.length));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, MAGIC.length);
  header.copy(prefix, MAGIC.length + 4);
  const pieces: Uint8Array[] = [prefix];
  let at = 0;
  for (const array of arrays.values()) {
    pieces.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    at += array.byteLength;
    const pad = align(at) - at;
    if (pad > 0) pieces.push(new Uint8Array(pad));
    at += pad;
  }
  return pieces;
}

/** Reads a bundle file written from bundlePieces; a file of another size than its header says is refused. */
export async function readBundle<M>(path: string): Promise<Bundle<M>> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length + 4);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead < head.length || head.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new MlError('INTERNAL', `${path} is not a bundle`);
    const headerLength = head.readUInt32LE(MAGIC.length);
    const headerBytes = Buffer.alloc(headerLength);
    await readFully(handle, headerBytes, head.length, path);
    const header = JSON.parse(headerBytes.toString('utf8')) as BundleHeader;
    const base = align(head.length + headerLength);
    const arrays = new Map<string, BundleArray>();
    let end = base;
    for (const s of header.sections) {
      const array = new CONSTRUCTORS[s.kind](s.length);
      await readFully(handle, new Uint8Array(array.buffer), base + s.offset, path);
      arrays.set(s.name, array);
      end = base + s.offset + array.byteLength;
    }
    const { size } = await handle.stat();
    if (size !== align(end) && size !== end) throw new MlError('INTERNAL', `${path} holds ${size} bytes, its header says ${end}`);
    return { meta: header.meta as M, arrays };
  } finally {
    await handle.close();
  }
}

async function readFully(handle: Awaited<ReturnType<typeof open>>, target: Uint8Array, position: number, path: string): Promise<void> {
  for (let done = 0; done < target.length; ) {
    const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) throw new MlError('INTERNAL', `${path} is shorter than its header says`);
    done += bytesRead;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}
