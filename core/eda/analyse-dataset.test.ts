import { beforeAll, describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import { loadPimaTable } from '../testing/pima';
import { analyseDataset } from './analyse-dataset';
import type { EdaReport } from './eda-report';

/**
 * Reference values for the Pima file, derived independently with numpy 2.4 / scipy 1.17 (no project code) by
 * scripts/python-oracles/derive_pima_reference.py: zeros in Glucose, BloodPressure, SkinThickness, BMI and Insulin
 * as NaN, std ddof=1, linear quantiles, scipy.stats.skew(bias=False), mannwhitneyu(pos, neg, method='asymptotic'),
 * pearsonr over pairwise-complete rows, scipy.stats.zscore(ddof=0), np.digitize(right=True) for the age/BMI groups.
 */
const REF = {
  rows: 768,
  positives: 268,
  zeros: {
    Pregnancies: 111,
    Glucose: 5,
    BloodPressure: 35,
    SkinThickness: 227,
    Insulin: 374,
    BMI: 11,
    DiabetesPedigreeFunction: 0,
    Age: 0,
  },
  rowsWithAnyMissing: 376,
  distributions: {
    Pregnancies: {
      n: 768,
      mean: 3.8450520833333335,
      std: 3.3695780626988694,
      min: 0.0,
      q1: 1.0,
      median: 3.0,
      q3: 6.0,
      max: 17.0,
      skewness: 0.9016739791518587,
    },
    Glucose: {
      n: 763,
      mean: 121.6867627785059,
      std: 30.535641072804033,
      min: 44.0,
      q1: 99.0,
      median: 117.0,
      q3: 141.0,
      max: 199.0,
      skewness: 0.5309885349396284,
    },
    BloodPressure: {
      n: 733,
      mean: 72.40518417462484,
      std: 12.38215821010526,
      min: 24.0,
      q1: 64.0,
      median: 72.0,
      q3: 80.0,
      max: 122.0,
      skewness: 0.13415273171959258,
    },
    SkinThickness: {
      n: 541,
      mean: 29.153419593345657,
      std: 10.476982369987208,
      min: 7.0,
      q1: 22.0,
      median: 29.0,
      q3: 36.0,
      max: 99.0,
      skewness: 0.6906190139841923,
    },
    Insulin: {
      n: 394,
      mean: 155.5482233502538,
      std: 118.77585518724518,
      min: 14.0,
      q1: 76.25,
      median: 125.0,
      q3: 190.0,
      max: 846.0,
      skewness: 2.166463843812442,
    },
    BMI: {
      n: 757,
      mean: 32.457463672391015,
      std: 6.924988332105903,
      min: 18.2,
      q1: 27.5,
      median: 32.3,
      q3: 36.6,
      max: 67.1,
      skewness: 0.5939697505712673,
    },
    DiabetesPedigreeFunction: {
      n: 768,
      mean: 0.47187630208333325,
      std: 0.3313285950127749,
      min: 0.078,
      q1: 0.24375,
      median: 0.3725,
      q3: 0.62625,
      max: 2.42,
      skewness: 1.9199110663072043,
    },
    Age: {
      n: 768,
      mean: 33.240885416666664,
      std: 11.760231540678685,
      min: 21.0,
      q1: 24.0,
      median: 29.0,
      q3: 41.0,
      max: 81.0,
      skewness: 1.1295967011444805,
    },
  },
  featureVsOutcome: {
    Pregnancies: {
      posMean: 4.865671641791045,
      negMean: 3.298,
      posMedian: 4.0,
      negMedian: 2.0,
      meanDiffPct: 47.534009757157214,
      cohensD: 0.4768266889872838,
      u: 83015.0,
      p: 3.745146414110847e-8,
    },
    Glucose: {
      posMean: 142.31954887218046,
      negMean: 110.64386317907444,
      posMedian: 140.0,
      negMedian: 107.0,
      meanDiffPct: 28.628506618428247,
      cohensD: 1.1928010452006437,
      u: 104808.5,
      p: 1.3050386606170123e-40,
    },
    BloodPressure: {
      posMean: 75.32142857142857,
      negMean: 70.87733887733887,
      posMedian: 74.5,
      negMedian: 70.0,
      meanDiffPct: 6.270113642077744,
      cohensD: 0.3640009538262855,
      u: 73645.5,
      p: 1.6285127372493867e-6,
    },
    SkinThickness: {
      posMean: 33.0,
      negMean: 27.235457063711912,
      posMedian: 32.0,
      negMedian: 27.0,
      meanDiffPct: 21.165581773799833,
      cohensD: 0.5691981947725075,
      u: 43050.0,
      p: 6.96127114814624e-10,
    },
    Insulin: {
      posMean: 206.84615384615384,
      negMean: 130.28787878787878,
      posMedian: 169.5,
      negMedian: 102.5,
      meanDiffPct: 58.76085770259512,
      cohensD: 0.6755974672269048,
      u: 25109.5,
      p: 7.476985712790264e-14,
    },
    BMI: {
      posMean: 35.40676691729323,
      negMean: 30.859674134419553,
      posMedian: 34.3,
      negMedian: 30.1,
      meanDiffPct: 14.734740111212153,
      cohensD: 0.6910656388040604,
      u: 89731.0,
      p: 1.8188109271106268e-17,
    },
    DiabetesPedigreeFunction: {
      posMean: 0.5505,
      negMean: 0.42973400000000006,
      posMedian: 0.449,
      negMedian: 0.336,
      meanDiffPct: 28.10250061666052,
      cohensD: 0.3698845983500004,
      u: 81231.0,
      p: 1.1965834413919491e-6,
    },
    Age: {
      posMean: 37.06716417910448,
      negMean: 31.19,
      posMedian: 36.0,
      negMedian: 27.0,
      meanDiffPct: 18.843104133069826,
      cohensD: 0.5142447688829704,
      u: 92050.0,
      p: 1.1422001179619007e-17,
    },
  },
  correlation: {
    'Pregnancies|Glucose': [0.1281345516838854, 763],
    'Pregnancies|BloodPressure': [0.21417848337744894, 733],
    'Pregnancies|SkinThickness': [0.10023907244218411, 541],
    'Pregnancies|Insulin': [0.08217102573137143, 394],
    'Pregnancies|BMI': [0.021718919317146087, 757],
    'Pregnancies|DiabetesPedigreeFunction': [-0.033522672962613104, 768],
    'Pregnancies|Age': [0.544341228402339, 768],
    'Pregnancies|Outcome': [0.22189815303398674, 768],
    'Glucose|BloodPressure': [0.22319177824954192, 728],
    'Glucose|SkinThickness': [0.22804322678186384, 536],
    'Glucose|Insulin': [0.5811862089121648, 393],
    'Glucose|BMI': [0.23277051103551322, 752],
    'Glucose|DiabetesPedigreeFunction': [0.1372457412253019, 763],
    'Glucose|Age': [0.26713555473125294, 763],
    'Glucose|Outcome': [0.4946502590810321, 763],
    'BloodPressure|SkinThickness': [0.22683906740782175, 539],
    'BloodPressure|Insulin': [0.09827229945465546, 394],
    'BloodPressure|BMI': [0.28923034040466655, 729],
    'BloodPressure|DiabetesPedigreeFunction': [-0.0028045265419361196, 733],
    'BloodPressure|Age': [0.3301074252030011, 733],
    'BloodPressure|Outcome': [0.17058928446068475, 733],
    'SkinThickness|Insulin': [0.18488842018975923, 394],
    'SkinThickness|BMI': [0.6482139430923208, 539],
    'SkinThickness|DiabetesPedigreeFunction': [0.11501642607108663, 541],
    'SkinThickness|Age': [0.1668157741988584, 541],
    'SkinThickness|Outcome': [0.25949142216466053, 541],
    'Insulin|BMI': [0.22805015741657092, 393],
    'Insulin|DiabetesPedigreeFunction': [0.13039507167406197, 394],
    'Insulin|Age': [0.2202606847747708, 394],
    'Insulin|Outcome': [0.3034542520056763, 394],
    'BMI|DiabetesPedigreeFunction': [0.155381745651393, 757],
    'BMI|Age': [0.025841458169262015, 757],
    'BMI|Outcome': [0.3136804821984416, 757],
    'DiabetesPedigreeFunction|Age': [0.03356131243480551, 768],
    'DiabetesPedigreeFunction|Outcome': [0.17384406565296004, 768],
    'Age|Outcome': [0.2383559830271977, 768],
  },
  thresholds: {
    'glucose<100': [192, 14],
    'glucose100-125': [274, 76],
    'glucose>=126': [297, 176],
    'bmi>=30': [472, 219],
    'bp>=90': [60, 29],
  },
  ageGroups: [
    [417, 90],
    [233, 120],
    [91, 51],
    [27, 7],
  ],
  bmiCategories: [
    [4, 0],
    [108, 7],
    [180, 44],
    [465, 215],
  ],
  outliers: {
    Pregnancies: {
      count: 4,
      topLines: [161, 90, 300, 457],
      topZ: [3.906578350084603, 3.31264542464365, 3.0156789619231734, 3.0156789619231734],
    },
    Glucose: { count: 0, topLines: [], topZ: [] },
    BloodPressure: {
      count: 8,
      topLines: [108, 599, 20, 127, 693],
      topZ: [4.008079985872919, -3.911938106311916, -3.4270390394434567, -3.4270390394434567, 3.3615478967149732],
    },
    SkinThickness: { count: 2, topLines: [581, 447], topZ: [6.672839638745545, 3.233555630906652] },
    Insulin: {
      count: 8,
      topLines: [15, 230, 249, 586, 411],
      topZ: [5.820456142725143, 4.96060387405739, 4.421088725089389, 3.746694788879387, 3.5696663806242612],
    },
    BMI: {
      count: 4,
      topLines: [179, 447, 675, 127],
      topZ: [5.005848215749845, 3.8931978342431464, 3.5897477301958647, 3.257397616239319],
    },
    DiabetesPedigreeFunction: {
      count: 11,
      topLines: [447, 230, 6, 372, 47],
      topZ: [5.88356476587794, 5.608733966238547, 5.48490910046695, 5.028871180186196, 4.2919622229113354],
    },
    Age: {
      count: 5,
      topLines: [461, 455, 668, 125, 686],
      topZ: [4.063715751598595, 3.2979259733862807, 3.1277504671168774, 3.0426627139821756, 3.0426627139821756],
    },
  },
  glucoseHistogram20: [1, 3, 4, 15, 28, 59, 65, 84, 88, 73, 85, 40, 49, 39, 29, 25, 21, 23, 16, 16],
  pregnanciesCounts: [111, 135, 103, 75, 68, 57, 50, 45, 38, 28, 24, 11, 9, 10, 2, 1, 0, 1],
};

let table: PatientTable;
let report: EdaReport;

beforeAll(async () => {
  table = await loadPimaTable();
  report = analyseDataset(table);
});

function close(actual: number | null | undefined, expected: number, relative = 1e-9): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));
}

describe('EDA of the Pima file against numpy/scipy', () => {
  test('overview: rows, features and class balance', () => {
    expect(report.overview.rowCount).toBe(REF.rows);
    expect(report.overview.featureCount).toBe(8);
    expect(report.overview.classBalance).toEqual({
      positives: REF.positives,
      negatives: REF.rows - REF.positives,
      positiveShare: REF.positives / REF.rows,
    });
    // Pima's known class balance: about 35% positive.
    expect(Math.round(100 * (report.overview.classBalance?.positiveShare as number))).toBe(35);
  });

  test('missing data: zeros per feature, which count as missing, and rows missing anything', () => {
    for (const f of report.missingData.features) {
      expect(f.zeroCount, f.feature).toBe(REF.zeros[f.feature]);
      expect(f.missingCount, f.feature).toBe(f.zeroPolicy === 'valid' ? 0 : REF.zeros[f.feature]);
    }
    const policy = Object.fromEntries(report.missingData.features.map((f) => [f.feature, f.zeroPolicy]));
    expect(policy.Insulin).toBe('missing-kept');
    expect(policy.SkinThickness).toBe('missing-imputed');
    expect(policy.Pregnancies).toBe('valid');
    expect(report.missingData.rowsWithAnyMissing).toBe(REF.rowsWithAnyMissing);
    // Pima's known zero shares: 49% Insulin, 30% SkinThickness.
    expect(Math.round(100 * (report.missingData.features[4].zeroShare as number))).toBe(49);
    expect(Math.round(100 * (report.missingData.features[3].zeroShare as number))).toBe(30);
  });

  test('distributions: summary statistics and skewness with zeros-as-missing excluded', () => {
    for (const f of report.distributions.features) {
      const ref = REF.distributions[f.feature];
      expect(f.stats.n, f.feature).toBe(ref.n);
      for (const key of ['mean', 'std', 'min', 'q1', 'median', 'q3', 'max', 'skewness'] as const)
        close(f.stats[key], ref[key]);
      expect(
        f.bins.reduce((sum, b) => sum + b.count, 0),
        f.feature,
      ).toBe(ref.n);
    }
    expect(report.distributions.zerosExcludedFor).toEqual([
      'Glucose',
      'BloodPressure',
      'SkinThickness',
      'BMI',
      'Insulin',
    ]);
  });

  test('distributions: histograms match numpy.histogram (real) and bincount (integer)', () => {
    const glucose = report.distributions.features.find((f) => f.feature === 'Glucose');
    expect(glucose?.bins.map((b) => b.count)).toEqual(REF.glucoseHistogram20);
    const pregnancies = report.distributions.features.find((f) => f.feature === 'Pregnancies');
    expect(pregnancies?.bins.map((b) => b.count)).toEqual(REF.pregnanciesCounts);
    expect(pregnancies?.bins[0]).toMatchObject({ x0: -0.5, x1: 0.5 });
  });

  test("feature vs outcome: per-class means and medians, differences, Cohen's d and Mann-Whitney", () => {
    const features = report.featureVsOutcome.features ?? [];
    expect(features).toHaveLength(8);
    for (const f of features) {
      const ref = REF.featureVsOutcome[f.feature];
      close(f.positive.mean, ref.posMean);
      close(f.negative.mean, ref.negMean);
      close(f.positive.median, ref.posMedian);
      close(f.negative.median, ref.negMedian);
      close(f.meanDifferencePercent, ref.meanDiffPct);
      close(f.cohensD, ref.cohensD);
      expect(f.mannWhitney?.u, f.feature).toBe(ref.u);
      close(f.mannWhitney?.pValue, ref.p, 1e-8 * ref.p);
      expect(f.positive.n + f.negative.n).toBe(REF.distributions[f.feature].n);
      expect(f.bins.reduce((s, b) => s + b.positive, 0)).toBe(f.positive.n);
      expect(f.bins.reduce((s, b) => s + b.negativeShare, 0)).toBeCloseTo(1, 12);
    }
  });

  test('feature vs outcome: ranked by effect size, Glucose first at +29%', () => {
    const features = report.featureVsOutcome.features ?? [];
    const byD = Object.entries(REF.featureVsOutcome)
      .sort(([, a], [, b]) => Math.abs(b.cohensD) - Math.abs(a.cohensD))
      .map(([name]) => name);
    expect(features.map((f) => f.feature)).toEqual(byD);
    expect(features.map((f) => f.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(features[0].feature).toBe('Glucose');
    // 28.63% over measured values (with the 5 zero glucose values kept as 0 it would be 28.44%, rounding to 28).
    expect(Math.round(features[0].meanDifferencePercent as number)).toBe(29);
  });

  test('correlation: every pairwise-complete Pearson r and its row count', () => {
    const { columns, matrix, counts } = report.correlation;
    expect(columns).toEqual([...FEATURE_COLUMNS, 'Outcome']);
    for (const [pair, [r, n]] of Object.entries(REF.correlation)) {
      const [a, b] = pair.split('|').map((c) => columns.indexOf(c));
      close(matrix[a][b], r, 1e-12);
      expect(matrix[b][a]).toBe(matrix[a][b]);
      expect(counts[a][b], pair).toBe(n);
    }
    expect(matrix.every((row, i) => row[i] === 1)).toBe(true);
  });

  test('correlation: no severe multicollinearity, all feature |r| < 0.8', () => {
    const featurePairs = Object.entries(REF.correlation).filter(([pair]) => !pair.includes('Outcome'));
    const [strongest, [r, n]] = featurePairs.sort(([, x], [, y]) => Math.abs(y[0]) - Math.abs(x[0]))[0];
    const [a, b] = strongest.split('|');
    expect(report.correlation.strongestFeaturePair).toMatchObject({ a, b, n });
    close(report.correlation.strongestFeaturePair?.r, r, 1e-12);
    expect(report.correlation.severeMulticollinearity).toBe(false);
    expect(report.correlation.pairsAboveThreshold).toEqual([]);
    expect(report.correlation.withOutcome?.[0].a).toBe('Glucose');
  });

  test('clinical thresholds: counts and positive rates per band', () => {
    const [glucose, bmi, bp] = report.clinicalThresholds.thresholds;
    const rate = ([count, positives]: number[]) => ({ count, positives, positiveRate: positives / count });
    expect(glucose.bands[0]).toMatchObject(rate(REF.thresholds['glucose<100']));
    expect(glucose.bands[1]).toMatchObject(rate(REF.thresholds['glucose100-125']));
    expect(glucose.bands[2]).toMatchObject(rate(REF.thresholds['glucose>=126']));
    expect(glucose.missingCount).toBe(REF.zeros.Glucose);
    expect(bmi.bands[1]).toMatchObject({ id: 'obese', ...rate(REF.thresholds['bmi>=30']) });
    expect(bp.bands[1]).toMatchObject({ id: 'stage-2', ...rate(REF.thresholds['bp>=90']) });
    expect(bp.measuredCount).toBe(REF.rows - REF.zeros.BloodPressure);
  });

  test('subgroups: counts and positive rates by age group and BMI category, small groups flagged', () => {
    const [age, bmi] = report.subgroups.variables;
    const expectGroups = (groups: typeof age.groups, ref: number[][]) =>
      groups.forEach((g, k) => {
        expect(g).toMatchObject({ code: k, count: ref[k][0], positives: ref[k][1], small: ref[k][0] < 30 });
        close(g.positiveRate, ref[k][1] / ref[k][0]);
      });
    expectGroups(age.groups, REF.ageGroups);
    expectGroups(bmi.groups, REF.bmiCategories);
    expect(bmi.missingCount).toBe(REF.zeros.BMI);
    expect(age.groups.filter((g) => g.small).map((g) => g.label)).toEqual(['>60']);
    expect(bmi.groups.filter((g) => g.small).map((g) => g.label)).toEqual(['Underweight']);
  });

  test('outliers: |z| > 3 counts and the most extreme rows, identified by line and patient_id only', () => {
    for (const f of report.outliers.features) {
      const ref = REF.outliers[f.feature];
      expect(f.count, f.feature).toBe(ref.count);
      expect(
        f.extremes.map((e) => e.lineNumber),
        f.feature,
      ).toEqual(ref.topLines);
      f.extremes.forEach((e, i) => {
        close(e.z, ref.topZ[i], 1e-12);
      });
      for (const e of f.extremes) {
        expect(Object.keys(e).sort()).toEqual(['lineNumber', 'patientId', 'z']);
        expect(e.patientId).toBe(`row-${e.lineNumber}`);
      }
    }
    expect(report.outliers.totalFlaggedValues).toBe(Object.values(REF.outliers).reduce((sum, o) => sum + o.count, 0));
  });
});

describe('key findings are generated from the numbers', () => {
  test('name the strongest predictor, the imbalance remedy, missingness, multicollinearity and small groups', () => {
    const text = (topic: string) =>
      report.keyFindings
        .filter((f) => f.topic === topic)
        .map((f) => f.text)
        .join(' ');
    expect(text('strongest-predictor')).toMatch(/^Glucose .*d = 1\.19.*\+28\.6%/);
    expect(text('class-balance')).toContain('34.9% positive');
    expect(text('class-balance')).toContain('class weighting');
    expect(text('class-balance')).toContain('not SMOTE');
    expect(text('missing-data')).toContain('Insulin 48.7%');
    expect(text('multicollinearity')).toMatch(/^No severe multicollinearity: .*SkinThickness–BMI \(r = 0\.65/);
    expect(text('subgroups')).toContain('Age_Group >60 (n = 27)');
    expect(text('subgroups')).toContain('younger patients');
  });

  test('follow the data: an outcome driven by BMI makes BMI the strongest predictor', () => {
    const outcome = new Uint8Array(table.rowCount);
    for (let i = 0; i < table.rowCount; i++) outcome[i] = table.features.BMI[i] > 35 ? 1 : 0;
    const other = analyseDataset({ ...table, outcome });
    expect(other.featureVsOutcome.features?.[0].feature).toBe('BMI');
    const finding = other.keyFindings.find((f) => f.topic === 'strongest-predictor');
    expect(finding?.text).toMatch(/^BMI separates/);
  });
});

describe('the report as data', () => {
  test('survives a JSON round trip unchanged (no NaN, Infinity or typed arrays)', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  test('without outcomes: the outcome parts are null and the rest is unchanged', () => {
    const batch = analyseDataset({ ...table, outcome: null });
    expect(batch.hasOutcome).toBe(false);
    expect(batch.overview.classBalance).toBeNull();
    expect(batch.featureVsOutcome.features).toBeNull();
    expect(batch.featureVsOutcome.note).toMatch(/Needs outcomes/);
    expect(batch.correlation.columns).toEqual([...FEATURE_COLUMNS]);
    expect(batch.correlation.withOutcome).toBeNull();
    expect(batch.correlation.matrix[1].slice(0, 8)).toEqual(report.correlation.matrix[1].slice(0, 8));
    expect(batch.clinicalThresholds.thresholds.flatMap((t) => t.bands).every((b) => b.positiveRate === null)).toBe(
      true,
    );
    expect(batch.subgroups.variables.flatMap((v) => v.groups).every((g) => g.positives === null)).toBe(true);
    expect(batch.keyFindings.some((f) => f.usesOutcome)).toBe(false);
    expect(batch.keyFindings.map((f) => f.topic)).not.toContain('strongest-predictor');
    expect(batch.distributions).toEqual(report.distributions);
    expect(batch.missingData).toEqual(report.missingData);
    expect(batch.outliers).toEqual(report.outliers);
    expect(JSON.parse(JSON.stringify(batch))).toEqual(batch);
  });

  test('rejects a nonsensical option by name', () => {
    expect(() => analyseDataset(table, { histogramBins: 0 })).toThrow(/histogramBins/);
    expect(() => analyseDataset(table, { multicollinearityR: 1.2 })).toThrow(/multicollinearityR/);
  });
});
