// Test-only twins of scripts/python-oracles/derive_drift_reference.py's sample generators: integer arithmetic only,
// so TypeScript and Python produce bit-identical samples (and so the scipy values in the JSON apply).
import { mulberry32 } from '../util/seeded-random';

export type SampleSpec =
  | { kind: 'bell'; seed: number; n: number; offset: number; spread: number; scale: number }
  | { kind: 'cat'; seed: number; n: number; weights: number[] }
  | { kind: 'literal'; values: number[] };

export function sampleOf(spec: SampleSpec): Float64Array {
  if (spec.kind === 'literal') return Float64Array.from(spec.values);
  const next = mulberry32(spec.seed);
  const out = new Float64Array(spec.n);
  if (spec.kind === 'bell') {
    for (let i = 0; i < spec.n; i++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += next() % (spec.spread + 1);
      out[i] = (spec.offset + s) / spec.scale;
    }
    return out;
  }
  const total = spec.weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < spec.n; i++) {
    let u = next() % total;
    let k = 0;
    while (u >= spec.weights[k]) {
      u -= spec.weights[k];
      k++;
    }
    out[i] = k;
  }
  return out;
}

/** Fisher-Yates with the integer PRNG: the same permutation on every run, and in the Python oracle. */
export function seededPermutation(n: number, seed: number): Uint32Array {
  const next = mulberry32(seed);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = next() % (i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
