import { CATEGORICAL_FEATURES, MODEL_FEATURES } from '../schema/columns';
import { chi2Contingency, chiSquareFromCounts } from './chi-square-test';
import { alignedCounts, type ColumnPair, pairCounts } from './column-pair';
import { type ColumnScan, ColumnScanner, distinctAcross, scanColumn } from './column-scan';
import { datasetVerdict } from './dataset-verdict';
import { DEFAULT_DRIFT_CONFIG, type DriftConfig, type DriftSample } from './drift-config';
import { DRIFT_METHOD_INFO, type DriftMethod, defaultDriftMethod } from './drift-method';
import type { DriftReport, FeatureDrift } from './drift-report';
import { featureHistogram } from './feature-histogram';
import { jensenShannonDrift } from './jensen-shannon';
import { ksFromCounts } from './ks-test';
import { type CountsAgainst, countAgainst, ReferenceLocator, type SortedSample, sortedSample } from './sorted-sample';
import { normalizedWasserstein } from './wasserstein';
import { proportionsZTest } from './z-test';

/**
 * Tests every feature of `current` against the reference as Evidently's DataDriftPreset does by default
 * (see defaultDriftMethod), or with the configured method/threshold, and gives the dataset verdict.
 * Throws a RangeError naming the problem for a missing column, an empty reference column or a method that
 * cannot test the feature's kind; everything else is a value in the report.
 */
export function detectDrift(
  reference: DriftSample,
  current: DriftSample,
  config: DriftConfig = {},
  scans?: CurrentScans,
): DriftReport {
  const features = testedFeatures(reference, config);
  const results: FeatureDrift[] = [];
  for (const feature of features) {
    const refColumn = reference.columns[feature];
    const cur = current.columns[feature];
    if (!refColumn) throw new RangeError(`drift: the reference has no column "${feature}"`);
    if (!cur) throw new RangeError(`drift: the current batch has no column "${feature}"`);
    let scan = scans?.prepared(feature);
    if (!scan) {
      scan = prepareFeature(feature, refColumn, config);
      scan.current.add(cur);
    }
    results.push(featureDrift(feature, scan, cur, config));
  }
  // Stable sort: drifted features first, column order otherwise.
  const ordered = [...results.filter((r) => r.drifted), ...results.filter((r) => !r.drifted)];
  return {
    reportVersion: 1,
    referenceRows: reference.rowCount,
    currentRows: current.rowCount,
    features: ordered,
    driftedFeatures: ordered.filter((r) => r.drifted).map((r) => r.feature),
    datasetDrift: datasetVerdict(results, config),
  };
}

function testedFeatures(reference: DriftSample, config: DriftConfig): readonly string[] {
  return config.features ?? MODEL_FEATURES.filter((f) => f in reference.columns);
}

/** A feature's reference side, and the scan of its current column (fed all at once, or chunk by chunk). */
interface FeatureScan {
  ref: ArrayLike<number>;
  declared: 'num' | 'cat';
  refScan: ColumnScan;
  configured: DriftMethod | undefined;
  refSorted: SortedSample | null;
  locator: ReferenceLocator | undefined;
  current: ColumnScanner;
}

function prepareFeature(feature: string, refColumn: ArrayLike<number>, config: DriftConfig): FeatureScan {
  const categorical = config.categoricalFeatures ?? CATEGORICAL_FEATURES;
  const declared = (categorical as readonly string[]).includes(feature) ? 'cat' : 'num';
  // The bundle's reference arrives as JSON number[]; a typed copy (a few hundred values) keeps the column loops
  // monomorphic, so the 1,000,000-row current column is scanned by the same optimised code.
  const ref = refColumn instanceof Float64Array ? refColumn : Float64Array.from(refColumn);
  const refScan = scanColumn(ref);
  if (refScan.count === 0) throw new RangeError(`drift: the reference column "${feature}" has no values`);
  const configured = config.perFeature?.[feature]?.method ?? config.method;
  // When KS is certain before the current column is read (the reference alone has > 5 distinct values), the KS
  // counts are gathered in the same single pass over the current column as everything else.
  const refDistinct = refScan.few ? refScan.few.size : Number.POSITIVE_INFINITY;
  const ksCertain =
    configured === 'ks' ||
    (configured === undefined && defaultDriftMethod(declared, refScan.count, refDistinct) === 'ks');
  const refSorted = ksCertain ? sortedSample(ref) : null;
  const locator = refSorted ? new ReferenceLocator(refSorted) : undefined;
  return { ref, declared, refScan, configured, refSorted, locator, current: new ColumnScanner(locator) };
}

/**
 * The current batch's columns scanned as they arrive, chunk by chunk, for detectDrift to test once the batch is
 * read without reading each column again for the scan. add() takes every tested feature's values of one chunk, in
 * the batch's order; a reference problem (an empty column) is thrown by detectDrift, where it always was.
 */
export class CurrentScans {
  private readonly scans = new Map<string, FeatureScan | Error>();

  constructor(reference: DriftSample, config: DriftConfig = {}) {
    for (const feature of testedFeatures(reference, config)) {
      const refColumn = reference.columns[feature];
      if (!refColumn) continue;
      try {
        this.scans.set(feature, prepareFeature(feature, refColumn, config));
      } catch (error) {
        this.scans.set(feature, error as Error);
      }
    }
  }

  /** The tested features, in the order detectDrift tests them. */
  features(): string[] {
    return [...this.scans.keys()];
  }

  add(feature: string, values: ArrayLike<number>): void {
    const scan = this.scans.get(feature);
    if (scan && !(scan instanceof Error)) scan.current.add(values);
  }

  prepared(feature: string): FeatureScan | undefined {
    const scan = this.scans.get(feature);
    if (scan instanceof Error) throw scan;
    return scan;
  }
}

function featureDrift(feature: string, scan: FeatureScan, cur: ArrayLike<number>, config: DriftConfig): FeatureDrift {
  const { ref, declared, refScan, configured, refSorted, locator } = scan;
  const curScan = scan.current.result();
  const pair: ColumnPair = { ref, cur, refScan, curScan, declared };
  const distinct = distinctAcross(refScan, curScan);
  const method = configured ?? defaultDriftMethod(declared, refScan.count, distinct);
  const info = DRIFT_METHOD_INFO[method];
  if (!info.accepts.includes(declared)) {
    throw new RangeError(`drift: method "${method}" cannot test the categorical feature "${feature}"`);
  }
  // A per-feature method without a per-feature threshold uses that method's own default threshold.
  const threshold =
    config.perFeature?.[feature]?.threshold ??
    (config.perFeature?.[feature]?.method === undefined ? config.threshold : undefined) ??
    info.defaultThreshold;
  const tolerance = config.zeroShareTolerance ?? DEFAULT_DRIFT_CONFIG.zeroShareTolerance;
  const numeric = declared === 'num';
  const referenceZeroShare = numeric ? refScan.zeros / refScan.length : null;
  const currentZeroShare = numeric ? (curScan.length === 0 ? 0 : curScan.zeros / curScan.length) : null;
  const base = {
    feature,
    type: (distinct <= 2 ? 'bin' : declared) as FeatureDrift['type'],
    method,
    methodLabel: info.label,
    threshold,
    referenceCount: refScan.count,
    currentCount: curScan.count,
    ...featureHistogram(feature, pair, config),
    referenceZeroShare,
    currentZeroShare,
    referenceMissingShare: refScan.missing / refScan.length,
    currentMissingShare: curScan.length === 0 ? 0 : curScan.missing / curScan.length,
    zeroShareShift:
      referenceZeroShare !== null &&
      currentZeroShare !== null &&
      curScan.length > 0 &&
      Math.abs(currentZeroShare - referenceZeroShare) >= tolerance,
  };
  if (curScan.count === 0) {
    // A batch without a single value for the feature is not distributed like the reference: flag it.
    return {
      ...base,
      statistic: null,
      pValue: null,
      score: null,
      drifted: true,
      note: 'the current batch has no values for this feature',
    };
  }
  const prepared = refSorted && locator ? { reference: refSorted, counts: locator.result() } : null;
  const { statistic, score } = runMethod(method, pair, config, prepared);
  const drifted = info.score === 'p-value' ? score < threshold : score >= threshold;
  return {
    ...base,
    statistic: Number.isFinite(statistic) ? statistic : null,
    pValue: info.score === 'p-value' ? score : null,
    score,
    drifted,
    ...(Number.isFinite(statistic) ? {} : { note: 'the current batch has a category the reference never had' }),
  };
}

function runMethod(
  method: DriftMethod,
  pair: ColumnPair,
  config: DriftConfig,
  prepared: { reference: SortedSample; counts: CountsAgainst } | null,
): { statistic: number; score: number } {
  const { ref, cur, refScan, curScan, declared } = pair;
  switch (method) {
    case 'ks': {
      const reference = prepared?.reference ?? sortedSample(ref);
      const r = ksFromCounts(reference, prepared?.counts ?? countAgainst(reference, cur));
      return { statistic: r.statistic, score: r.pValue };
    }
    case 'chisquare': {
      const counts = pairCounts(pair);
      const r = chiSquareFromCounts(counts.reference, counts.current);
      return { statistic: r.statistic, score: r.pValue };
    }
    case 'chisquare-contingency': {
      const counts = alignedCounts(pair);
      const r = chi2Contingency([counts.reference, counts.current]);
      return { statistic: r.statistic, score: r.pValue };
    }
    case 'z': {
      const { reference: refCounts, current: curCounts } = pairCounts(pair);
      let first = Number.POSITIVE_INFINITY;
      for (const k of refCounts.keys()) if (k < first) first = k;
      for (const k of curCounts.keys()) if (k < first) first = k;
      const r = proportionsZTest(
        refScan.count - (refCounts.get(first) ?? 0),
        refScan.count,
        curScan.count - (curCounts.get(first) ?? 0),
        curScan.count,
      );
      return { statistic: r.statistic, score: r.pValue };
    }
    case 'wasserstein': {
      const d = normalizedWasserstein(ref, cur);
      return { statistic: d, score: d };
    }
    case 'jensenshannon': {
      const d = jensenShannonDrift(
        ref,
        cur,
        declared === 'num',
        config.jensenShannonBase ?? DEFAULT_DRIFT_CONFIG.jensenShannonBase,
      );
      return { statistic: d, score: d };
    }
  }
}
