import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { MODEL_FEATURES } from '../schema/columns';
import { type PimaSetup, pimaSetup } from '../testing/pima-split';
import { seededPermutation } from '../testing/seeded-samples';
import { datasetVerdict } from './dataset-verdict';
import { detectDrift } from './detect-drift';
import { driftColumnsOf } from './drift-columns';
import type { DriftSample } from './drift-config';
import { defaultDriftMethod } from './drift-method';
import { roundedOutward } from './feature-histogram';
import { ksTwoSample } from './ks-test';

let pima: PimaSetup;
let heldOut: DriftSample;
beforeAll(async () => {
  pima = await pimaSetup();
  heldOut = driftColumnsOf(pima.params, pima.heldOutTable);
});

function column(sample: DriftSample, name: string): Float64Array {
  return Float64Array.from(sample.columns[name] as ArrayLike<number>);
}

function withColumns(sample: DriftSample, replace: Record<string, Float64Array>): DriftSample {
  return { rowCount: sample.rowCount, columns: { ...sample.columns, ...replace } };
}

/** Rows drawn with replacement (seeded): a larger sample from the same distribution. */
function resample(sample: DriftSample, rows: number, seed: number): DriftSample {
  const order = seededPermutation(sample.rowCount, seed);
  const columns: Record<string, Float64Array> = {};
  for (const [name, values] of Object.entries(sample.columns)) {
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) out[i] = (values as ArrayLike<number>)[order[(i * 7919) % sample.rowCount]];
    columns[name] = out;
  }
  return { rowCount: rows, columns };
}

describe('Evidently default test selection', () => {
  test('the rules by reference size, kind and distinct values', () => {
    expect(defaultDriftMethod('num', 1000, 6)).toBe('ks');
    expect(defaultDriftMethod('num', 1000, 5)).toBe('chisquare');
    expect(defaultDriftMethod('num', 1000, 3)).toBe('chisquare');
    expect(defaultDriftMethod('num', 1000, 2)).toBe('z');
    expect(defaultDriftMethod('cat', 1000, 4)).toBe('chisquare');
    expect(defaultDriftMethod('cat', 1000, 2)).toBe('z');
    expect(defaultDriftMethod('num', 1001, 6)).toBe('wasserstein');
    expect(defaultDriftMethod('num', 1001, 5)).toBe('jensenshannon');
    expect(defaultDriftMethod('cat', 1001, 9)).toBe('jensenshannon');
  });

  test('Pima training reference (461 rows): KS for the 9 numeric features, chi-square for the 2 categories', () => {
    const report = detectDrift(pima.reference, heldOut);
    const methods = Object.fromEntries(report.features.map((f) => [f.feature, f.method]));
    for (const f of MODEL_FEATURES) {
      expect(methods[f]).toBe(f === 'BMI_Category' || f === 'Age_Group' ? 'chisquare' : 'ks');
    }
    expect(report.features.find((f) => f.feature === 'Glucose')?.methodLabel).toBe('K-S p_value');
  });

  test('held-out Pima rows do not drift from the training rows', () => {
    const report = detectDrift(pima.reference, heldOut);
    expect(report.driftedFeatures).toEqual([]);
    expect(report.datasetDrift.drifted).toBe(false);
  });

  test('the KS p-value in the report is ks_2samp on the same non-missing values', () => {
    const report = detectDrift(pima.reference, heldOut);
    const glucose = report.features.find((f) => f.feature === 'Glucose');
    const direct = ksTwoSample(column(pima.reference, 'Glucose'), column(heldOut, 'Glucose'));
    expect(glucose?.statistic).toBe(direct.statistic);
    expect(glucose?.pValue).toBe(direct.pValue);
  });

  test('on the real Pima split, all 11 features agree with scipy (ks_2samp / Evidently chisquare) to 1e-6', () => {
    const scipy = JSON.parse(readFileSync(new URL('./scipy-reference-values.json', import.meta.url), 'utf8')).pimaSplit;
    expect(scipy.referenceRows).toBe(pima.reference.rowCount);
    expect(scipy.currentRows).toBe(heldOut.rowCount);
    const report = detectDrift(pima.reference, heldOut);
    const expectations = [...scipy.ks, ...scipy.chisquare] as { feature: string; statistic: number; pValue: number }[];
    expect(expectations.map((e) => e.feature).sort()).toEqual([...MODEL_FEATURES].sort());
    for (const expected of expectations) {
      const f = report.features.find((x) => x.feature === expected.feature);
      expect(Math.abs((f?.statistic ?? Number.NaN) / expected.statistic - 1)).toBeLessThan(1e-6);
      expect(Math.abs((f?.pValue ?? Number.NaN) / expected.pValue - 1)).toBeLessThan(1e-6);
    }
  });

  test('a reference above 1,000 rows switches to normed Wasserstein and Jensen-Shannon distances', () => {
    const big = resample(pima.reference, 1500, 3);
    const report = detectDrift(big, heldOut);
    for (const f of report.features) {
      expect(f.method).toBe(
        f.feature === 'BMI_Category' || f.feature === 'Age_Group' ? 'jensenshannon' : 'wasserstein',
      );
      expect(f.pValue).toBeNull();
      expect(f.threshold).toBe(0.1);
    }
  });

  test('a two-valued feature is type bin and tested with the Z-test; 3-5 values with chi-square', () => {
    const n = pima.reference.rowCount;
    const m = heldOut.rowCount;
    const flag = (len: number, every: number) =>
      Float64Array.from({ length: len }, (_, i) => (i % every === 0 ? 1 : 0));
    const few = (len: number) => Float64Array.from({ length: len }, (_, i) => i % 4);
    const report = detectDrift(
      { rowCount: n, columns: { Flag: flag(n, 3), Few: few(n) } },
      { rowCount: m, columns: { Flag: flag(m, 3), Few: few(m) } },
      { features: ['Flag', 'Few'] },
    );
    const byName = Object.fromEntries(report.features.map((f) => [f.feature, f]));
    expect(byName.Flag.type).toBe('bin');
    expect(byName.Flag.method).toBe('z');
    expect(byName.Few.type).toBe('num');
    expect(byName.Few.method).toBe('chisquare');
  });
});

describe('drift flags', () => {
  test('Glucose + 15 drifts Glucose and the Glucose x BMI interaction, nothing else', () => {
    const shifted = column(heldOut, 'Glucose').map((g) => (g === 0 ? 0 : g + 15));
    // Through the real pipeline, so the interaction is recomputed from the shifted glucose.
    const table = { ...pima.heldOutTable, features: { ...pima.heldOutTable.features, Glucose: shifted } };
    const current = driftColumnsOf(pima.params, table);
    expect(column(current, 'BMI_Category')).toEqual(column(heldOut, 'BMI_Category'));
    const report = detectDrift(pima.reference, current);
    expect([...report.driftedFeatures].sort()).toEqual(['Glucose', 'Glucose_BMI_Interaction']);
    expect(report.features.slice(0, 2).every((f) => f.drifted)).toBe(true);
    expect(report.features.slice(2).some((f) => f.drifted)).toBe(false);
  });

  test('per-feature method and threshold are honoured and named in the result', () => {
    const report = detectDrift(pima.reference, heldOut, {
      perFeature: { Glucose: { method: 'wasserstein', threshold: 0.0001 }, Age: { threshold: 0.99 } },
    });
    const glucose = report.features.find((f) => f.feature === 'Glucose');
    const age = report.features.find((f) => f.feature === 'Age');
    expect(glucose?.method).toBe('wasserstein');
    expect(glucose?.methodLabel).toBe('Wasserstein distance (normed)');
    expect(glucose?.threshold).toBe(0.0001);
    expect(glucose?.drifted).toBe(true); // any distance > 0.0001
    expect(age?.method).toBe('ks');
    expect(age?.drifted).toBe(true); // p < 0.99
  });

  test('a method that cannot test a categorical feature is refused with a clear error', () => {
    expect(() => detectDrift(pima.reference, heldOut, { perFeature: { Age_Group: { method: 'ks' } } })).toThrow(
      'drift: method "ks" cannot test the categorical feature "Age_Group"',
    );
  });

  test('a missing current column is refused, naming it', () => {
    const { Insulin: _dropped, ...rest } = heldOut.columns;
    expect(() => detectDrift(pima.reference, { rowCount: heldOut.rowCount, columns: rest })).toThrow(
      'drift: the current batch has no column "Insulin"',
    );
  });

  test('a category the reference never had: chi-square p = 0, statistic null, drifted', () => {
    const ageGroup = column(heldOut, 'Age_Group');
    ageGroup[0] = 7;
    const report = detectDrift(pima.reference, withColumns(heldOut, { Age_Group: ageGroup }));
    const f = report.features.find((x) => x.feature === 'Age_Group');
    expect(f?.pValue).toBe(0);
    expect(f?.statistic).toBeNull();
    expect(f?.drifted).toBe(true);
    expect(f?.note).toMatch(/category the reference never had/);
  });

  test('a feature with no current values is flagged and says why', () => {
    const empty = new Float64Array(heldOut.rowCount).fill(Number.NaN);
    const report = detectDrift(pima.reference, withColumns(heldOut, { DiabetesPedigreeFunction: empty }));
    const f = report.features.find((x) => x.feature === 'DiabetesPedigreeFunction');
    expect(f?.drifted).toBe(true);
    expect(f?.score).toBeNull();
    expect(f?.currentMissingShare).toBe(1);
    expect(f?.note).toBe('the current batch has no values for this feature');
  });
});

describe('zero shares and histograms', () => {
  test('zero shares are counted per numeric feature and a shift beyond the tolerance is marked', () => {
    const insulin = column(heldOut, 'Insulin');
    const refZeros = column(pima.reference, 'Insulin').filter((v) => v === 0).length / pima.reference.rowCount;
    let made = 0;
    for (let i = 0; i < insulin.length && made < 60; i++) {
      if (insulin[i] !== 0) {
        insulin[i] = 0;
        made++;
      }
    }
    const report = detectDrift(pima.reference, withColumns(heldOut, { Insulin: insulin }));
    const f = report.features.find((x) => x.feature === 'Insulin');
    expect(f?.referenceZeroShare).toBeCloseTo(refZeros, 15);
    expect(f?.currentZeroShare).toBeCloseTo(insulin.filter((v) => v === 0).length / insulin.length, 15);
    expect(f?.zeroShareShift).toBe(true);
    const plain = detectDrift(pima.reference, heldOut).features.find((x) => x.feature === 'Insulin');
    expect(plain?.zeroShareShift).toBe(false);
    const category = detectDrift(pima.reference, heldOut).features.find((x) => x.feature === 'Age_Group');
    expect(category?.referenceZeroShare).toBeNull();
    expect(category?.zeroShareShift).toBe(false);
  });

  test('numeric histograms share edges spanning both samples and count every value once', () => {
    const report = detectDrift(pima.reference, heldOut);
    const f = report.features.find((x) => x.feature === 'BMI');
    expect(f?.bins.edges?.length).toBe(21);
    expect(f?.bins.labels.length).toBe(20);
    const all = [...column(pima.reference, 'BMI'), ...column(heldOut, 'BMI')];
    // The edges span both samples without being any one patient's value (see roundedOutward).
    const min = Math.min(...all);
    const max = Math.max(...all);
    const edges = f?.bins.edges ?? [];
    expect(edges[0]).toBeLessThanOrEqual(min);
    expect(edges[20]).toBeGreaterThan(max);
    expect(all.filter((v) => v !== 0)).not.toContain(edges[0]);
    expect(all).not.toContain(edges[20]);
    // Widened by at most two grid steps on each side, the grid being the power of ten at or above the width.
    const unit = 10 ** Math.ceil(Math.log10((max - min) / 20));
    expect(min - edges[0]).toBeLessThanOrEqual(2 * unit);
    expect(edges[20] - max).toBeLessThanOrEqual(2 * unit);
    expect(f?.referenceHistogram.reduce((a, b) => a + b, 0)).toBe(pima.reference.rowCount);
    expect(f?.currentHistogram.reduce((a, b) => a + b, 0)).toBe(heldOut.rowCount);
  });

  test('categorical histograms are labelled with the category names', () => {
    const report = detectDrift(pima.reference, heldOut);
    const f = report.features.find((x) => x.feature === 'Age_Group');
    expect(f?.bins.edges).toBeNull();
    expect(f?.bins.labels).toEqual(['<=30', '31-45', '46-60', '>60']);
    expect(f?.currentHistogram.reduce((a, b) => a + b, 0)).toBe(heldOut.rowCount);
  });

  test('the report survives a JSON round trip unchanged (no NaN or Infinity)', () => {
    const ageGroup = column(heldOut, 'Age_Group');
    ageGroup[0] = 9;
    const report = detectDrift(pima.reference, withColumns(heldOut, { Age_Group: ageGroup }));
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('dataset verdict', () => {
  const flags = (drifted: number, total: number) => Array.from({ length: total }, (_, i) => ({ drifted: i < drifted }));

  test('share >= 0.5 or at least 3 drifted features, by default', () => {
    expect(datasetVerdict(flags(2, 11))).toMatchObject({ driftedCount: 2, shareRule: false, countRule: false });
    expect(datasetVerdict(flags(2, 11)).drifted).toBe(false);
    expect(datasetVerdict(flags(3, 11))).toMatchObject({ countRule: true, shareRule: false, drifted: true });
    expect(datasetVerdict(flags(2, 4))).toMatchObject({ share: 0.5, shareRule: true, countRule: false, drifted: true });
  });

  test('thresholds and the combination rule are configurable', () => {
    expect(datasetVerdict(flags(3, 11), { rule: 'share' }).drifted).toBe(false);
    expect(datasetVerdict(flags(6, 11), { rule: 'both' }).drifted).toBe(true);
    expect(datasetVerdict(flags(3, 11), { rule: 'both' }).drifted).toBe(false);
    expect(datasetVerdict(flags(3, 11), { countThreshold: 4 }).drifted).toBe(false);
    expect(datasetVerdict(flags(3, 11), { shareThreshold: 0.25, rule: 'share' }).drifted).toBe(true);
  });
});

describe('histogram edges hold no patient value', () => {
  test('extremes on the grid move one step out, others to the grid; a zero minimum stays', () => {
    expect(roundedOutward(0, 199, 20)).toEqual([0, 200]);
    expect(roundedOutward(44, 199, 20)).toEqual([40, 200]);
    expect(roundedOutward(40, 200, 20)).toEqual([30, 210]);
    expect(roundedOutward(18.2, 67.1, 20)).toEqual([10, 70]);
    expect(roundedOutward(0.078, 2.42, 20)).toEqual([0, 3]);
  });
});
