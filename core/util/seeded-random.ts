/**
 * The one seeded PRNG (mulberry32) of the code base, so that training, generated batches, benchmarks and tests
 * reproduce exactly on every platform without Math.random. It lives in product code because training and the
 * sample maker need it; test support imports it from here, never the other way round.
 *
 * Integer arithmetic only: scripts/python-oracles/derive_drift_reference.py implements the same generator, so
 * samples drawn from `mulberry32` are bit-identical in TypeScript and Python.
 */

const TWO_TO_32 = 4294967296;

/** The raw generator: uniform 32-bit unsigned integers from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a) >>> 0;
    t = ((t + Math.imul(t ^ (t >>> 7), 61 | t)) >>> 0) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform in [0, 1): the same stream as `mulberry32(seed)`, divided by 2^32. */
export function seededRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / TWO_TO_32;
}

/** Box-Muller: a standard normal from two uniforms, `u` in (0, 1]. */
function boxMuller(u: number, v: number): number {
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Standard normal from a [0, 1) source (1 - u keeps the logarithm finite). */
export function gaussian(random: () => number): number {
  return boxMuller(1 - random(), random());
}

/** Spreads a seed (splitmix-style finaliser) so that nearby seeds give unrelated streams. */
function mixSeed(seed: number): number {
  let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
  return (s ^ (s >>> 16)) >>> 0;
}

/**
 * The trainer's generator: mulberry32 over a mixed seed, so every random choice in training follows from
 * TrainConfig.seed while neighbouring seeds (seed * 2 + 1, seed * 2 + 2) still draw unrelated streams.
 */
export class Random {
  private readonly nextUint32: () => number;

  constructor(seed: number) {
    this.nextUint32 = mulberry32(mixSeed(seed));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / TWO_TO_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller, redrawing an exact 0). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return boxMuller(u, this.next());
  }

  /** k distinct indices from [0, n), returned in ascending order (partial Fisher-Yates). */
  sample(n: number, k: number): Int32Array {
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.int(n - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    // Ascending order without a comparison sort: mark the picks, then collect.
    const picked = new Uint8Array(n);
    for (let i = 0; i < k; i++) picked[pool[i]] = 1;
    const out = new Int32Array(k);
    for (let i = 0, j = 0; i < n; i++) if (picked[i]) out[j++] = i;
    return out;
  }

  /** In-place shuffle. */
  shuffle<T extends { length: number; [i: number]: number }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }
}
