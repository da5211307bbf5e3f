/**
 * Small seeded PRNG (mulberry32 over a splitmix-style seed mix) so every random choice in training is
 * reproducible from TrainConfig.seed, on every platform, without Math.random.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    // Mix the seed so nearby seeds give unrelated streams.
    let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.state = (s ^ (s >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
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
