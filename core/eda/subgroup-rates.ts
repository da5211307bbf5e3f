import { ageGroup, bmiCategory } from '../preprocess/feature-engineer';
import { AGE_GROUP_LABELS, BMI_CATEGORY_LABELS } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import type { SubgroupRate, SubgroupsSection, SubgroupVariable } from './eda-report';
import type { PreparedFeatures } from './feature-values';
import { countByGroup } from './group-counts';
import { share } from './missing-data';
import { classBalance } from './overview';

/**
 * Section 7: rows and positive rate per Age_Group and BMI_Category, with the feature engineer's own binning.
 * A missing BMI (zero) is counted apart, not as "Underweight", which the unimputed zero would otherwise become.
 */
export function subgroupsSection(
  table: PatientTable,
  prepared: PreparedFeatures,
  smallGroupMin: number,
): SubgroupsSection {
  const balance = classBalance(table.outcome ? table.outcome.subarray(0, table.rowCount) : null);
  return {
    smallGroupMin,
    overallPositiveRate: balance ? balance.positiveShare : null,
    variables: [
      groupRates(table, 'Age_Group', prepared.Age.measured, ageGroup, AGE_GROUP_LABELS, smallGroupMin),
      groupRates(table, 'BMI_Category', prepared.BMI.measured, bmiCategory, BMI_CATEGORY_LABELS, smallGroupMin),
    ],
  };
}

function groupRates(
  table: PatientTable,
  variable: SubgroupVariable['variable'],
  values: Float64Array,
  groupOf: (value: number) => number,
  labels: readonly string[],
  smallGroupMin: number,
): SubgroupVariable {
  const outcome = table.outcome;
  const { counts, positives, missingCount } = countByGroup(table, values, labels.length, groupOf);
  const grouped = table.rowCount - missingCount;
  const groups = labels.map(
    (label, code): SubgroupRate => ({
      code,
      label,
      count: counts[code],
      share: share(counts[code], grouped),
      positives: outcome ? positives[code] : null,
      positiveRate: outcome && counts[code] ? positives[code] / counts[code] : null,
      small: counts[code] < smallGroupMin,
    }),
  );
  return { variable, missingCount, groups };
}
