/** xoshiro128** state: four unsigned 32-bit words, plain JSON so it survives continue-as-new. */
export interface RngState {
  s: [number, number, number, number];
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** splitmix32 spreads any seed over all four words, so nearby seeds give unrelated streams. */
export function seedRng(seed: number): RngState {
  let x = (Math.trunc(seed) >>> 0) ^ Math.imul(Math.trunc(seed / 4294967296) >>> 0, 0x9e3779b9);
  const next = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s: RngState['s'] = [next(), next(), next(), next()];
  if (s.every((w) => w === 0)) s[0] = 1;
  return { s };
}

/** A generator over a copy of `state`; read `state()` afterwards to carry it on. */
export class Rng {
  private readonly s: [number, number, number, number];

  constructor(state: RngState) {
    this.s = [state.s[0] >>> 0, state.s[1] >>> 0, state.s[2] >>> 0, state.s[3] >>> 0];
  }

  state(): RngState {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]] };
  }

  uint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    for (let i = 0; i < 4; i++) s[i] >>>= 0;
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer on [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.uniform() * n));
  }

  /** Standard normal by Box–Muller (one draw per call keeps the state a pure function of call count). */
  normal(): number {
    const u1 = 1 - this.uniform();
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
