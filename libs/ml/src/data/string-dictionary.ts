export const FNV_BASIS = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** A dictionary's bytes in a form that moves between threads without copying: values end to end, and where each ends. */
export interface DictionaryParts {
  bytes: Uint8Array<ArrayBuffer>;
  ends: Int32Array<ArrayBuffer>;
}

/**
 * The values of a string column, stored as UTF-8 bytes end to end, each numbered by its code. A value becomes a
 * JavaScript string only when it is asked for, so an id-like column of a million rows costs one buffer, not a
 * million strings. Values added one at a time are distinct; `append` adds another dictionary's values as they
 * are, and `appendValue` a value without looking for it, so a value may then stand under more than one code
 * (compare values, not codes). The hash index behind lookups is built on the first one.
 */
export class StringDictionary {
  private arena: Uint8Array<ArrayBuffer>;
  private arenaLength: number;
  private ends: Int32Array<ArrayBuffer>;
  private count: number;
  /** Every byte so far ORed together: below 0x80 means ASCII, where latin1 decoding is exact; -1 until known. */
  private bytesSeen: number;
  private view: Buffer | null = null;
  /** Open addressing: code + 1, 0 for an empty slot; null until the first lookup. */
  private slots: Int32Array | null = null;
  private hashes: Int32Array | null = null;
  private decoded: string[] | null = null;

  constructor(parts?: DictionaryParts) {
    this.arena = parts ? parts.bytes : new Uint8Array(1 << 12);
    this.ends = parts ? parts.ends : new Int32Array(256);
    this.count = parts ? parts.ends.length : 0;
    this.arenaLength = this.count > 0 ? this.ends[this.count - 1] : 0;
    this.bytesSeen = parts ? -1 : 0;
  }

  static fromStrings(values: Iterable<string>): StringDictionary {
    const dictionary = new StringDictionary();
    for (const value of values) dictionary.codeOfText(value);
    return dictionary;
  }

  get size(): number {
    return this.count;
  }

  /** The value with this code. */
  at(code: number): string {
    if (this.decoded) return this.decoded[code];
    const start = code === 0 ? 0 : this.ends[code - 1];
    this.view ??= Buffer.from(this.arena.buffer, this.arena.byteOffset, this.arena.length);
    return this.view.toString(this.isAscii() ? 'latin1' : 'utf8', start, this.ends[code]);
  }

  /** Every value in code order, decoded once and kept. */
  values(): readonly string[] {
    if (this.decoded) return this.decoded;
    const bytes = Buffer.from(this.arena.buffer, this.arena.byteOffset, this.arenaLength);
    const out: string[] = [];
    if (this.isAscii()) {
      const text = bytes.toString('latin1');
      for (let code = 0, start = 0; code < this.count; start = this.ends[code++]) out.push(text.slice(start, this.ends[code]));
    } else {
      for (let code = 0, start = 0; code < this.count; start = this.ends[code++]) out.push(bytes.toString('utf8', start, this.ends[code]));
    }
    this.decoded = out;
    return out;
  }

  /** The code of `text`, or -1 when it is not in the dictionary. */
  find(text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    return this.lookup(bytes, 0, bytes.length, hashOf(bytes, 0, bytes.length), false);
  }

  /** The code of `text`, added when new. */
  codeOfText(text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    return this.codeOfHashed(bytes, 0, bytes.length, hashOf(bytes, 0, bytes.length));
  }

  /** codeOfText with each distinct JavaScript string encoded once: for columns built from one string per row. */
  textCoder(): (text: string) => number {
    const seen = new Map<string, number>();
    return (text) => {
      let code = seen.get(text);
      if (code === undefined) seen.set(text, (code = this.codeOfText(text)));
      return code;
    };
  }

  /** The code of the bytes b[s, e), added when new. */
  codeOf(b: Uint8Array, s: number, e: number): number {
    return this.codeOfHashed(b, s, e, hashOf(b, s, e));
  }

  /** As codeOf, with the bytes' FNV-1a hash (from FNV_BASIS and FNV_PRIME) already taken while scanning them. */
  codeOfHashed(b: Uint8Array, s: number, e: number, fnv: number): number {
    return this.lookup(b, s, e, fnv, true);
  }

  /**
   * Adds the bytes b[s, e) as a new value without looking for them, as `append` does a whole dictionary's, and
   * returns its code: for columns whose values hardly repeat, where a lookup per value would find nothing. A
   * repeated value then stands under several codes. The hash index is dropped, to be rebuilt by the next lookup.
   */
  appendValue(b: Uint8Array, s: number, e: number): number {
    this.slots = null;
    this.hashes = null;
    return this.add(b, s, e, 0);
  }

  /**
   * Adds every value of `parts` in order, without looking for them among the values already here, and returns the
   * code the first one got: the codes of `parts` shifted by it. Fast, since nothing is hashed.
   */
  append(parts: DictionaryParts): number {
    const base = this.count;
    const n = parts.ends.length;
    const added = n > 0 ? parts.ends[n - 1] : 0;
    this.reserveArena(added);
    this.arena.set(parts.bytes.subarray(0, added), this.arenaLength);
    if (base + n > this.ends.length) this.ends = grow(this.ends, Math.max(16, base + n, this.ends.length * 2));
    for (let k = 0; k < n; k++) this.ends[base + k] = this.arenaLength + parts.ends[k];
    this.arenaLength += added;
    this.count += n;
    if (this.bytesSeen >= 0) this.bytesSeen = -1;
    this.slots = null;
    this.hashes = null;
    this.decoded = null;
    return base;
  }

  /** Copies of the bytes and ends, trimmed to size, for another thread or a file. */
  toParts(): DictionaryParts {
    return { bytes: this.arena.slice(0, this.arenaLength), ends: this.ends.slice(0, this.count) };
  }

  /** The start and end of each value's bytes, for code that reads them in place. */
  get raw(): { bytes: Uint8Array; ends: Int32Array } {
    return { bytes: this.arena.subarray(0, this.arenaLength), ends: this.ends.subarray(0, this.count) };
  }

  private isAscii(): boolean {
    if (this.bytesSeen < 0) this.bytesSeen = orOf(this.arena, this.arenaLength);
    return this.bytesSeen < 0x80;
  }

  private lookup(b: Uint8Array, s: number, e: number, fnv: number, insert: boolean): number {
    if (!this.slots) this.index();
    const hash = mix(fnv);
    const slots = this.slots!;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const code = slots[slot] - 1;
      if (code < 0) {
        if (!insert) return -1;
        slots[slot] = this.add(b, s, e, hash) + 1;
        if (this.count * 2 > slots.length) this.index();
        return this.count - 1;
      }
      if (this.hashes![code] === hash && this.equals(code, b, s, e)) return code;
    }
  }

  private equals(code: number, b: Uint8Array, s: number, e: number): boolean {
    const start = code === 0 ? 0 : this.ends[code - 1];
    if (this.ends[code] - start !== e - s) return false;
    const arena = this.arena;
    for (let i = 0; i < e - s; i++) if (arena[start + i] !== b[s + i]) return false;
    return true;
  }

  private add(b: Uint8Array, s: number, e: number, hash: number): number {
    const code = this.count++;
    if (code === this.ends.length) {
      this.ends = grow(this.ends, Math.max(16, code * 2));
      if (this.hashes) this.hashes = grow(this.hashes, this.ends.length);
    }
    this.reserveArena(e - s);
    const arena = this.arena;
    let seen = 0;
    for (let i = s, at = this.arenaLength; i < e; i++, at++) seen |= arena[at] = b[i];
    if (this.bytesSeen >= 0) this.bytesSeen |= seen;
    this.arenaLength += e - s;
    this.ends[code] = this.arenaLength;
    if (this.hashes) this.hashes[code] = hash;
    this.decoded = null;
    return code;
  }

  /** Room for `bytes` more value bytes, doubling the arena when it is short. */
  private reserveArena(bytes: number): void {
    if (this.arenaLength + bytes <= this.arena.length) return;
    const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + bytes));
    arena.set(this.arena.subarray(0, this.arenaLength));
    this.arena = arena;
    this.view = null;
  }

  /** (Re)builds the hash index at twice the entries' count or more, hashing the stored values once if needed. */
  private index(): void {
    let size = 512;
    while (size < this.count * 4) size *= 2;
    if (!this.hashes) {
      this.hashes = new Int32Array(this.ends.length);
      for (let code = 0, start = 0; code < this.count; start = this.ends[code++]) this.hashes[code] = mix(hashOf(this.arena, start, this.ends[code]));
    }
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let code = 0; code < this.count; code++) {
      let slot = this.hashes[code] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = code + 1;
    }
    this.slots = slots;
  }
}

function hashOf(b: Uint8Array, s: number, e: number): number {
  let fnv = FNV_BASIS;
  for (let i = s; i < e; i++) fnv = Math.imul(fnv ^ b[i], FNV_PRIME);
  return fnv;
}

/** murmur3's finalizer over FNV-1a, so the low bits that pick a slot depend on every byte. */
function mix(fnv: number): number {
  let h = fnv;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function orOf(bytes: Uint8Array, length: number): number {
  let seen = 0;
  for (let i = 0; i < length; i++) seen |= bytes[i];
  return seen;
}

function grow(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(length);
  bigger.set(array);
  return bigger;
}
