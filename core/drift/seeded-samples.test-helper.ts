// Test-only twin of scripts/reference-values/derive_drift_reference.py's sample generators: integer arithmetic only,
// so TypeScript and Python produce bit-identical samples.

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a) >>> 0;
    t = ((t + Math.imul(t ^ (t >>> 7), 61 | t)) >>> 0) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

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
