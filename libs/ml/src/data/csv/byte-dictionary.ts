export const FNV_BASIS = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/**
 * Interns cell byte ranges as small integer codes without making a string per cell: a categorical column of a
 * million rows decodes only its distinct values.
 */
export class ByteDictionary {
  private arena = new Uint8Array(1 << 12);
  private arenaLength = 0;
  private starts = new Int32Array(256);
  private ends = new Int32Array(256);
  private hashes = new Int32Array(256);
  /** Open addressing: entry code + 1, 0 for an empty slot. */
  private slots = new Int32Array(512);
  /** Every byte so far ORed together: below 0x80 means ASCII, where string and byte offsets agree. */
  private bytesSeen = 0;
  size = 0;

  codeOf(b: Uint8Array, s: number, e: number): number {
    let fnv = FNV_BASIS;
    for (let i = s; i < e; i++) fnv = Math.imul(fnv ^ b[i], FNV_PRIME);
    return this.codeOfHashed(b, s, e, fnv);
  }

  /** As codeOf, with the cell's FNV-1a hash (from FNV_BASIS and FNV_PRIME) already taken while scanning it. */
  codeOfHashed(b: Uint8Array, s: number, e: number, fnv: number): number {
    const hash = mix(fnv);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) {
        this.slots[slot] = this.add(b, s, e, hash) + 1;
        if (this.size * 2 > this.slots.length) this.rehash();
        return this.size - 1;
      }
      if (this.hashes[entry] === hash && this.equals(entry, b, s, e)) return entry;
    }
  }

  /** The distinct values, in code order. */
  values(): string[] {
    const bytes = Buffer.from(this.arena.buffer, this.arena.byteOffset, this.arenaLength);
    if (this.bytesSeen < 0x80) {
      const text = bytes.toString('latin1');
      return Array.from({ length: this.size }, (_, code) => text.slice(this.starts[code], this.ends[code]));
    }
    const text = bytes;
    return Array.from({ length: this.size }, (_, code) => text.toString('utf8', this.starts[code], this.ends[code]));
  }

  private equals(entry: number, b: Uint8Array, s: number, e: number): boolean {
    const start = this.starts[entry];
    if (this.ends[entry] - start !== e - s) return false;
    for (let i = 0; i < e - s; i++) if (this.arena[start + i] !== b[s + i]) return false;
    return true;
  }

  private add(b: Uint8Array, s: number, e: number, hash: number): number {
    const code = this.size++;
    if (code === this.starts.length) {
      this.starts = grow(this.starts, code * 2);
      this.ends = grow(this.ends, code * 2);
      this.hashes = grow(this.hashes, code * 2);
    }
    if (this.arenaLength + (e - s) > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + (e - s)));
      arena.set(this.arena.subarray(0, this.arenaLength));
      this.arena = arena;
    }
    const arena = this.arena;
    let seen = this.bytesSeen;
    for (let i = s, at = this.arenaLength; i < e; i++, at++) seen |= arena[at] = b[i];
    this.bytesSeen = seen;
    this.starts[code] = this.arenaLength;
    this.arenaLength += e - s;
    this.ends[code] = this.arenaLength;
    this.hashes[code] = hash;
    return code;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let code = 0; code < this.size; code++) {
      let slot = this.hashes[code] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = code + 1;
    }
    this.slots = slots;
  }
}

/** murmur3's finalizer over FNV-1a, so the low bits that pick a slot depend on every byte. */
function mix(fnv: number): number {
  let h = fnv;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function grow(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(length);
  bigger.set(array);
  return bigger;
}
