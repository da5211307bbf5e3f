import type { PatientTable } from '../table/patient-table';
import { clinicalThresholdsSection } from './clinical-thresholds';
import { correlationSection } from './correlation';
import { distributionsSection } from './distributions';
import type { EdaOptions, EdaReport, ResolvedEdaOptions } from './eda-report';
import { prepareFeatures } from './feature-values';
import { featureVsOutcomeSection } from './feature-vs-outcome';
import { keyFindings } from './key-findings';
import { missingDataSection } from './missing-data';
import { outliersSection } from './outliers';
import { overviewSection } from './overview';
import { subgroupsSection } from './subgroup-rates';

const DEFAULT_EDA_OPTIONS: ResolvedEdaOptions = {
  histogramBins: 20,
  outlierZ: 3,
  smallGroupMin: 30,
  outliersListed: 5,
  multicollinearityR: 0.8,
};

/** What needs outcomes: null/absent for a screening batch, present for a training file. */
const OUTCOME_DEPENDENT_PARTS: readonly string[] = [
  'overview.classBalance',
  'featureVsOutcome.features',
  'correlation.withOutcome and the Outcome row/column of correlation.matrix',
  'clinicalThresholds.overallPositiveRate and each band’s positives/positiveRate',
  'subgroups.overallPositiveRate and each group’s positives/positiveRate',
  'keyFindings with usesOutcome (strongest predictor, class balance, positive rates)',
];

/**
 * The exploratory analysis of a table (training file or screening batches) as one JSON-serialisable report.
 * Pure: reads the table, never changes it. Every section works without outcomes; see OUTCOME_DEPENDENT_PARTS.
 */
export function analyseDataset(table: PatientTable, options: EdaOptions = {}): EdaReport {
  const resolved = resolveOptions(options);
  const prepared = prepareFeatures(table);
  const sections = {
    rowCount: table.rowCount,
    hasOutcome: table.outcome !== null,
    outcomeDependentParts: [...OUTCOME_DEPENDENT_PARTS],
    options: resolved,
    overview: overviewSection(table),
    missingData: missingDataSection(table.rowCount, prepared),
    distributions: distributionsSection(prepared, resolved.histogramBins),
    featureVsOutcome: featureVsOutcomeSection(prepared, resolved.histogramBins),
    correlation: correlationSection(table, prepared, resolved.multicollinearityR),
    clinicalThresholds: clinicalThresholdsSection(table, prepared),
    subgroups: subgroupsSection(table, prepared, resolved.smallGroupMin),
    outliers: outliersSection(table, prepared, resolved.outlierZ, resolved.outliersListed),
  };
  return { ...sections, keyFindings: keyFindings(sections) };
}

/** Fills defaults; a nonsensical option is a programming error and throws, naming the option. */
function resolveOptions(options: EdaOptions): ResolvedEdaOptions {
  const resolved = { ...DEFAULT_EDA_OPTIONS, ...stripUndefined(options) };
  requireInteger('histogramBins', resolved.histogramBins, 1);
  requireInteger('smallGroupMin', resolved.smallGroupMin, 0);
  requireInteger('outliersListed', resolved.outliersListed, 0);
  if (!(resolved.outlierZ > 0) || !Number.isFinite(resolved.outlierZ)) {
    throw new RangeError(`EDA option outlierZ must be a positive number, got ${resolved.outlierZ}`);
  }
  if (!(resolved.multicollinearityR > 0 && resolved.multicollinearityR < 1)) {
    throw new RangeError(`EDA option multicollinearityR must lie in (0, 1), got ${resolved.multicollinearityR}`);
  }
  return resolved;
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`EDA option ${name} must be an integer >= ${min}, got ${value}`);
  }
}

function stripUndefined(options: EdaOptions): EdaOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}
