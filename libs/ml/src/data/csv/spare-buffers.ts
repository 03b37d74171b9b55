/** Where a block's column arrays come from. */
export interface ColumnArrays {
  float64(length: number): Float64Array;
  int32(length: number): Int32Array;
}

export const FRESH_ARRAYS: ColumnArrays = {
  float64: (length) => new Float64Array(length),
  int32: (length) => new Int32Array(length),
};

/** A spare may be this much larger than asked for: blocks differ a little in row count, not by half. */
const MAX_SLACK = 1.5;
/** New buffers get this much headroom, so the next blocks, a few rows longer, can reuse them. */
const HEADROOM = 1.125;

/**
 * Column arrays carved from buffers the main thread hands back once it has copied a block's columns out of them.
 * Memory that has been written once is already paged in, so reusing it spares every block the cost of faulting in
 * fresh pages (on a VM, as much as copying them) and the collector the churn of freeing them.
 */
export class SpareBuffers implements ColumnArrays {
  private readonly spare: ArrayBuffer[] = [];

  /** `limit`: buffers kept at most; a full pool drops what it is given. */
  constructor(private readonly limit: number) {}

  get size(): number {
    return this.spare.length;
  }

  give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) if (this.spare.length < this.limit && buffer.byteLength > 0) this.spare.push(buffer);
  }

  float64(length: number): Float64Array {
    return new Float64Array(this.take(length * 8), 0, length);
  }

  int32(length: number): Int32Array {
    return new Int32Array(this.take(length * 4), 0, length);
  }

  /** The smallest spare that fits without wasting much, else a new buffer with some headroom. */
  private take(bytes: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.spare.length; i++) {
      const size = this.spare[i]!.byteLength;
      if (size >= bytes && size <= bytes * MAX_SLACK + 4096 && (best < 0 || size < this.spare[best]!.byteLength)) best = i;
    }
    if (best < 0) return new ArrayBuffer(Math.ceil((bytes * HEADROOM) / 8) * 8);
    const [buffer] = this.spare.splice(best, 1);
    return buffer!;
  }
}
