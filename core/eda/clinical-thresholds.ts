import type { PatientTable } from '../table/patient-table';
import type { ClinicalThreshold, ClinicalThresholdsSection, ThresholdBand } from './eda-report';
import type { PreparedFeatures } from './feature-values';
import { countByGroup } from './group-counts';
import { classBalance } from './overview';

interface BandDefinition {
  id: string;
  label: string;
  lower: number | null;
  upper: number | null;
  flagged: boolean;
}

interface ThresholdDefinition {
  feature: ClinicalThreshold['feature'];
  title: string;
  bands: BandDefinition[];
  caveat: string | null;
}

/**
 * The clinical cut-offs, as data. Bands are [lower, upper) and together cover every measured value, so
 * 125.5 mg/dL is pre-diabetes and 126 the diabetes range.
 */
const CLINICAL_THRESHOLDS: readonly ThresholdDefinition[] = [
  {
    feature: 'Glucose',
    title: 'Glucose against the fasting plasma glucose cut-offs (ADA)',
    bands: [
      { id: 'normal', label: '< 100 mg/dL (normal)', lower: null, upper: 100, flagged: false },
      { id: 'pre-diabetes', label: '100–125 mg/dL (pre-diabetes)', lower: 100, upper: 126, flagged: true },
      { id: 'diabetes', label: '≥ 126 mg/dL (diabetes range)', lower: 126, upper: null, flagged: true },
    ],
    // The contract's Glucose (as in the Pima data) is the 2-hour value of an oral glucose tolerance test.
    caveat:
      'Glucose in this data contract is the 2-hour plasma glucose of an oral glucose tolerance test (as in the Pima ' +
      'data), for which the WHO cut-offs are 140 ' +
      '(impaired glucose tolerance) and 200 mg/dL (diabetes); the fasting cut-offs here are a screening convention, ' +
      'not a diagnosis.',
  },
  {
    feature: 'BMI',
    title: 'BMI against the obesity cut-off (WHO)',
    bands: [
      { id: 'not-obese', label: '< 30 kg/m²', lower: null, upper: 30, flagged: false },
      { id: 'obese', label: '≥ 30 kg/m² (obese)', lower: 30, upper: null, flagged: true },
    ],
    caveat: null,
  },
  {
    feature: 'BloodPressure',
    title: 'Diastolic blood pressure against hypertension stage 2 (ACC/AHA, diastolic criterion)',
    bands: [
      { id: 'below-90', label: '< 90 mm Hg', lower: null, upper: 90, flagged: false },
      { id: 'stage-2', label: '≥ 90 mm Hg (hypertension stage 2)', lower: 90, upper: null, flagged: true },
    ],
    caveat: 'Diastolic pressure only: a normal diastolic value does not rule out systolic hypertension.',
  },
];

/** Section 6: counts (and positive rates when outcomes exist) per clinical band, over measured values. */
export function clinicalThresholdsSection(table: PatientTable, prepared: PreparedFeatures): ClinicalThresholdsSection {
  const outcome = table.outcome;
  const thresholds = CLINICAL_THRESHOLDS.map((definition): ClinicalThreshold => {
    const { counts, positives, missingCount } = countByGroup(
      table,
      prepared[definition.feature].measured,
      definition.bands.length,
      (v) => bandOf(v, definition.bands),
    );
    const measuredCount = table.rowCount - missingCount;
    const bands = definition.bands.map(
      (b, j): ThresholdBand => ({
        ...b,
        count: counts[j],
        share: measuredCount ? counts[j] / measuredCount : 0,
        positives: outcome ? positives[j] : null,
        positiveRate: outcome && counts[j] ? positives[j] / counts[j] : null,
      }),
    );
    return {
      feature: definition.feature,
      title: definition.title,
      missingCount,
      measuredCount,
      bands,
      caveat: definition.caveat,
    };
  });
  const balance = classBalance(outcome ? outcome.subarray(0, table.rowCount) : null);
  return { thresholds, overallPositiveRate: balance ? balance.positiveShare : null };
}

/** Bands are contiguous and ascending: the first whose upper bound lies above v. */
function bandOf(v: number, bands: readonly BandDefinition[]): number {
  for (let j = 0; j < bands.length - 1; j++) {
    const upper = bands[j].upper;
    if (upper !== null && v < upper) return j;
  }
  return bands.length - 1;
}
