import { FEATURE_UNITS, type FeatureName } from '../schema/columns';
import type { EdaReport, KeyFinding } from './eda-report';

/** Beyond this |skewness| a distribution is called strongly skewed (the usual rule of thumb). */
const STRONG_SKEW = 1;
/** A minority class below this share counts as imbalanced. */
const IMBALANCED_BELOW = 0.45;

type Sections = Omit<EdaReport, 'keyFindings'>;

/**
 * Section 9: sentences generated from the numbers of sections 1-8, so they stay true for any file (another clinic's
 * month of batches reads differently from Pima). Nothing here is written about a particular data set.
 */
export function keyFindings(report: Sections): KeyFinding[] {
  const findings: KeyFinding[] = [overviewFinding(report)];
  const predictor = strongestPredictor(report);
  if (predictor) findings.push(predictor);
  const balance = classBalanceFinding(report);
  if (balance) findings.push(balance);
  findings.push(missingFinding(report));
  const skew = skewnessFinding(report);
  if (skew) findings.push(skew);
  findings.push(multicollinearityFinding(report));
  findings.push(...thresholdFindings(report));
  findings.push(...subgroupFindings(report));
  findings.push(outlierFinding(report));
  return findings;
}

function overviewFinding({ overview }: Sections): KeyFinding {
  const balance = overview.classBalance;
  const text = balance
    ? `${count(overview.rowCount)} rows and ${overview.featureCount} features; ${count(balance.positives)} positive ` +
      `(${pct(balance.positiveShare)}) and ${count(balance.negatives)} negative.`
    : `${count(overview.rowCount)} rows and ${overview.featureCount} features; no outcomes (a screening batch), so ` +
      'class balance, feature-outcome comparisons and positive rates are not available.';
  return { topic: 'overview', text, usesOutcome: balance !== null };
}

function strongestPredictor({ featureVsOutcome }: Sections): KeyFinding | null {
  const ranked = featureVsOutcome.features?.filter((f) => f.cohensD !== null);
  if (!ranked || ranked.length === 0) return null;
  const [top, ...rest] = ranked;
  const unit = FEATURE_UNITS[top.feature] ? ` ${FEATURE_UNITS[top.feature]}` : '';
  let text =
    `${top.feature} separates the outcome classes most strongly: Cohen's d = ${num(top.cohensD, 2)}, mean ` +
    `${num(top.positive.mean, 1)}${unit} in the positive group against ${num(top.negative.mean, 1)}${unit} in the ` +
    `negative group (${signedPct(top.meanDifferencePercent)})`;
  if (top.mannWhitney) text += `, Mann-Whitney ${pValue(top.mannWhitney.pValue)}`;
  text += '.';
  const next = rest.slice(0, 2).map((f) => `${f.feature} (d = ${num(f.cohensD, 2)})`);
  if (next.length) text += ` Next: ${next.join(' and ')}.`;
  return { topic: 'strongest-predictor', text, usesOutcome: true };
}

function classBalanceFinding({ overview }: Sections): KeyFinding | null {
  const balance = overview.classBalance;
  if (!balance || balance.positives === 0 || balance.negatives === 0) {
    if (!balance) return null;
    return {
      topic: 'class-balance',
      text: `Only one outcome class is present (${count(balance.positives)} positive): no classifier can be trained or evaluated on this file.`,
      usesOutcome: true,
    };
  }
  const minorityShare = Math.min(balance.positiveShare, 1 - balance.positiveShare);
  const minority = balance.positiveShare <= 0.5 ? 'positive' : 'negative';
  const ratio = Math.max(balance.negatives, balance.positives) / Math.min(balance.negatives, balance.positives);
  if (minorityShare >= IMBALANCED_BELOW) {
    return {
      topic: 'class-balance',
      text: `The classes are roughly balanced (${pct(balance.positiveShare)} positive): no reweighting is needed.`,
      usesOutcome: true,
    };
  }
  return {
    topic: 'class-balance',
    text:
      `The classes are imbalanced: ${pct(minorityShare)} ${minority}, ${num(ratio, 2)} majority rows per ${minority} ` +
      `row. Use class weighting (a ${minority}-class weight of about ${num(ratio, 2)}), not SMOTE: weighting keeps every ` +
      'record a real patient, while SMOTE invents patients by interpolating between neighbours, which can be ' +
      'clinically implausible and leaks into validation folds when applied before the split.',
    usesOutcome: true,
  };
}

function missingFinding({ missingData }: Sections): KeyFinding {
  const missing = missingData.features
    .filter((f) => f.missingCount > 0)
    .sort((a, b) => b.missingShare - a.missingShare);
  if (missing.length === 0) {
    return {
      topic: 'missing-data',
      text: 'No values are missing (no zeros where zero means "not measured").',
      usesOutcome: false,
    };
  }
  const list = missing.map((f) => `${f.feature} ${pct(f.missingShare)}`).join(', ');
  let text =
    `Missing values (zeros meaning "not measured"): ${list}; ${pct(missingData.rowsWithAnyMissingShare)} of rows ` +
    'miss at least one value.';
  const imputed = missing.filter((f) => f.zeroPolicy === 'missing-imputed').map((f) => f.feature);
  if (imputed.length)
    text += ` ${listWords(imputed)} ${imputed.length > 1 ? 'are' : 'is'} median-imputed for the model.`;
  const insulin = missing.find((f) => f.feature === 'Insulin' && f.zeroPolicy === 'missing-kept');
  if (insulin) {
    text +=
      ` Insulin zeros (${pct(insulin.zeroShare)}) are kept as 0, not imputed: a zero can be a genuine reading, and ` +
      'imputing that many values would invent data and hide that the test was not done.';
  }
  return { topic: 'missing-data', text, usesOutcome: false };
}

function skewnessFinding({ distributions }: Sections): KeyFinding | null {
  const skewed = distributions.features
    .filter((f) => f.stats.skewness !== null && Math.abs(f.stats.skewness) > STRONG_SKEW)
    .sort((a, b) => Math.abs(b.stats.skewness as number) - Math.abs(a.stats.skewness as number));
  if (skewed.length === 0) return null;
  const list = skewed.map((f) => `${f.feature} (${num(f.stats.skewness, 2)})`).join(', ');
  return {
    topic: 'skewness',
    text:
      `Strongly skewed (|skewness| > ${STRONG_SKEW}): ${list}. Medians and quartiles describe these better than ` +
      'means; tree models are unaffected by the skew, z-scores are not.',
    usesOutcome: false,
  };
}

function multicollinearityFinding({ correlation }: Sections): KeyFinding {
  const top = correlation.strongestFeaturePair;
  const t = num(correlation.threshold, 2);
  let text: string;
  if (!top) text = 'No feature pair has a defined correlation (too few measured values).';
  else if (correlation.severeMulticollinearity) {
    const list = correlation.pairsAboveThreshold.map((p) => `${p.a}–${p.b} (r = ${num(p.r, 2)})`).join(', ');
    text = `Severe multicollinearity: ${list} above |r| = ${t}; one of each pair adds little and unsettles attributions.`;
  } else {
    text =
      `No severe multicollinearity: the strongest feature pair is ${top.a}–${top.b} (r = ${num(top.r, 2)}, ` +
      `n = ${count(top.n)}); every |r| is at most ${t}.`;
  }
  return { topic: 'multicollinearity', text, usesOutcome: false };
}

function thresholdFindings({ clinicalThresholds }: Sections): KeyFinding[] {
  return clinicalThresholds.thresholds
    .filter((t) => t.measuredCount > 0)
    .map((t) => {
      const flagged = t.bands.filter((b) => b.flagged);
      const parts = flagged.map((b) => `${pct(b.share)} in ${b.label}`);
      let text = `${t.feature}, ${count(t.measuredCount)} measured: ${parts.join(', ')}.`;
      const rated = t.bands.filter((b) => b.positiveRate !== null);
      const usesOutcome = clinicalThresholds.overallPositiveRate !== null;
      if (usesOutcome && rated.length) {
        text += ` Positive rate by band: ${rated.map((b) => `${b.label} ${pct(b.positiveRate as number)}`).join(', ')}.`;
      }
      if (t.caveat) text += ` ${t.caveat}`;
      return { topic: 'clinical-thresholds' as const, text, usesOutcome };
    });
}

function subgroupFindings({ subgroups }: Sections): KeyFinding[] {
  const findings: KeyFinding[] = [];
  const usesOutcome = subgroups.overallPositiveRate !== null;
  const age = subgroups.variables.find((v) => v.variable === 'Age_Group');
  if (age) {
    const largest = [...age.groups].sort((a, b) => b.count - a.count)[0];
    if (largest && largest.count > 0) {
      const younger = largest.code === 0;
      let text =
        `${pct(largest.share)} of rows are in age group ${largest.label}` +
        (younger
          ? ': the data lean towards younger patients, so estimates for older groups rest on fewer cases.'
          : '.');
      const rates = age.groups.filter((g) => g.positiveRate !== null);
      if (usesOutcome && rates.length) {
        text += ` Positive rate by age group: ${rates.map((g) => `${g.label} ${pct(g.positiveRate as number)} (n = ${count(g.count)})`).join(', ')}.`;
      }
      text += ' Monitor recall by age group.';
      findings.push({ topic: 'subgroups', text, usesOutcome });
    }
  }
  const small = subgroups.variables.flatMap((v) => v.groups.filter((g) => g.small).map((g) => ({ v, g })));
  if (small.length) {
    const list = small.map(({ v, g }) => `${v.variable} ${g.label} (n = ${count(g.count)})`).join(', ');
    findings.push({
      topic: 'subgroups',
      text: `Small subgroups (n < ${subgroups.smallGroupMin}): ${list}. Rates and metrics in these groups are not reliable.`,
      usesOutcome: false,
    });
  }
  return findings;
}

function outlierFinding({ outliers }: Sections): KeyFinding {
  const z = num(outliers.zThreshold, 1);
  if (outliers.totalFlaggedValues === 0) {
    return { topic: 'outliers', text: `No value lies beyond |z| > ${z}.`, usesOutcome: false };
  }
  const by = outliers.features
    .filter((f) => f.count > 0)
    .sort((a, b) => b.count - a.count)
    .map((f) => `${f.feature} ${count(f.count)}`)
    .join(', ');
  return {
    topic: 'outliers',
    text:
      `${count(outliers.totalFlaggedValues)} values in ${count(outliers.rowsWithAnyOutlier)} rows lie beyond |z| > ${z} ` +
      `(${by}); worth checking against the source records.`,
    usesOutcome: false,
  };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function signedPct(x: number | null): string {
  if (x === null) return 'n/a';
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}%`;
}

function num(x: number | null, digits: number): string {
  return x === null ? 'n/a' : x.toFixed(digits);
}

function pValue(p: number): string {
  if (p === 0) return 'p < 1e-300';
  return p < 0.001 ? `p = ${p.toExponential(1)}` : `p = ${p.toFixed(3)}`;
}

function listWords(items: readonly FeatureName[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
