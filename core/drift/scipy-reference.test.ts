import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type SampleSpec, sampleOf } from '../testing/seeded-samples';
import { chi2Contingency, chiSquareGoodnessOfFit } from './chi-square-test';
import { chi2Sf } from './chi2-distribution';
import { regularizedGammaP, regularizedGammaQ } from './incomplete-gamma';
import { jensenShannonDrift } from './jensen-shannon';
import { ksTwoSampleExactSf } from './ks-exact-two-sample';
import { ksTwoSample } from './ks-test';
import { kstwoSf } from './kstwo-distribution';
import { normalCdf } from './normal-distribution';
import { smirnovSf } from './smirnov-distribution';
import { normalizedWasserstein, wassersteinSorted } from './wasserstein';
import { twoProportionZTest } from './z-test';

// Every expected number below was computed by scipy (scripts/python-oracles/derive_drift_reference.py);
// the samples are regenerated here from the same integer PRNG.
const ref = JSON.parse(readFileSync(new URL('./scipy-reference-values.json', import.meta.url), 'utf8'));

const RTOL = 1e-6;
function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = RTOL * Math.abs(expected) + 1e-300;
  if (!(Math.abs(actual - expected) <= tolerance)) {
    throw new Error(
      `${what}: got ${actual}, scipy says ${expected} (relative error ${Math.abs(actual / expected - 1)})`,
    );
  }
}

interface TwoSampleCase {
  name: string;
  reference: SampleSpec;
  current: SampleSpec;
}

describe('agreement with scipy to 1e-6 relative', () => {
  test('the fixture was generated from the committed script', () => {
    expect(ref.generatedBy).toBe('scripts/python-oracles/derive_drift_reference.py');
    expect(ref.ks2samp.length).toBeGreaterThanOrEqual(10);
  });

  test('ks_2samp (auto: exact up to 10,000 rows, asymptotic beyond): statistic and p-value', () => {
    for (const c of ref.ks2samp as (TwoSampleCase & { statistic: number; pValue: number })[]) {
      const r = ksTwoSample(sampleOf(c.reference), sampleOf(c.current));
      expectClose(r.statistic, c.statistic, `${c.name} statistic`);
      expectClose(r.pValue, c.pValue, `${c.name} p-value`);
    }
  });

  test('kstwo.sf over every branch of scipy _kolmogn', () => {
    for (const c of ref.kstwoSf as { n: number; x: number; sf: number }[]) {
      expectClose(kstwoSf(c.n, c.x), c.sf, `kstwo.sf(${c.x}, ${c.n})`);
    }
  });

  test('scipy.special.smirnov', () => {
    for (const c of ref.smirnovSf as { n: number; x: number; sf: number }[]) {
      expectClose(smirnovSf(c.n, c.x), c.sf, `smirnov(${c.n}, ${c.x})`);
    }
  });

  test('exact two-sample recursion (equal and unequal sizes)', () => {
    for (const c of ref.ksExactTwoSample as { m: number; n: number; h: number; sf: number }[]) {
      expectClose(ksTwoSampleExactSf(c.m, c.n, c.h), c.sf, `exact(${c.m}, ${c.n}, h=${c.h})`);
    }
  });

  test('regularised incomplete gamma P and Q', () => {
    for (const c of ref.incompleteGamma as { a: number; x: number; p: number; q: number }[]) {
      expectClose(regularizedGammaQ(c.a, c.x), c.q, `gammaincc(${c.a}, ${c.x})`);
      expectClose(regularizedGammaP(c.a, c.x), c.p, `gammainc(${c.a}, ${c.x})`);
    }
  });

  test('chi2.sf and norm.cdf', () => {
    for (const c of ref.chi2Sf as { dof: number; x: number; sf: number }[]) {
      expectClose(chi2Sf(c.x, c.dof), c.sf, `chi2.sf(${c.x}, ${c.dof})`);
    }
    for (const c of ref.normalCdf as { z: number; cdf: number }[]) {
      expectClose(normalCdf(c.z), c.cdf, `norm.cdf(${c.z})`);
    }
  });

  test("Evidently's chi-square (scipy.stats.chisquare against scaled reference counts)", () => {
    for (const c of ref.chiSquareGoodnessOfFit as (TwoSampleCase & { statistic: number; pValue: number })[]) {
      const r = chiSquareGoodnessOfFit(sampleOf(c.reference), sampleOf(c.current));
      expectClose(r.statistic, c.statistic, `${c.name} statistic`);
      expectClose(r.pValue, c.pValue, `${c.name} p-value`);
    }
  });

  test('chi2_contingency with Yates correction when dof == 1', () => {
    for (const c of ref.chi2Contingency as { table: number[][]; statistic: number; pValue: number; dof: number }[]) {
      const r = chi2Contingency(c.table);
      expect(r.dof).toBe(c.dof);
      expectClose(r.statistic, c.statistic, `${JSON.stringify(c.table)} statistic`);
      expectClose(r.pValue, c.pValue, `${JSON.stringify(c.table)} p-value`);
    }
  });

  test("Evidently's two-proportion z-test", () => {
    for (const c of ref.zTest as (TwoSampleCase & { statistic: number; pValue: number })[]) {
      const r = twoProportionZTest(sampleOf(c.reference), sampleOf(c.current));
      expectClose(r.statistic, c.statistic, `${c.name} statistic`);
      expectClose(r.pValue, c.pValue, `${c.name} p-value`);
    }
  });

  test('wasserstein_distance and its reference-std normalisation', () => {
    for (const c of ref.wasserstein as (TwoSampleCase & { distance: number; normalized: number })[]) {
      const a = sampleOf(c.reference);
      const b = sampleOf(c.current);
      expectClose(wassersteinSorted(a.slice().sort(), b.slice().sort()), c.distance, `${c.name} distance`);
      expectClose(normalizedWasserstein(a, b), c.normalized, `${c.name} normalised`);
    }
  });

  test('jensenshannon base 2 on Evidently-binned shares', () => {
    for (const c of ref.jensenShannon as (TwoSampleCase & { numerical: boolean; distance: number })[]) {
      const d = jensenShannonDrift(sampleOf(c.reference), sampleOf(c.current), c.numerical, 2);
      expectClose(d, c.distance, c.name);
    }
  });

  test('jensenshannon leaves missing current values out before choosing the Sturges bins', () => {
    const c = (ref.jensenShannon as (TwoSampleCase & { numerical: boolean; distance: number })[]).find(
      (x) => x.name === "numerical, current inside the reference's range",
    );
    if (!c) throw new Error('the fixture lacks the inside-the-range case');
    // 1500 + 548 values make exactly 12 bins; a NaN counted as a value would make 13 and move every edge.
    const withMissing = Array.from(sampleOf(c.current)).flatMap((x, i) => (i % 100 === 0 ? [Number.NaN, x] : [x]));
    expectClose(jensenShannonDrift(sampleOf(c.reference), withMissing, true, 2), c.distance, `${c.name}, NaN added`);
  });
});
