import { FEATURE_COLUMNS, type FeatureName } from '../schema/columns';
import type { FeatureMissingness, MissingDataSection, ZeroPolicy } from './eda-report';
import { type PreparedFeatures, zeroPolicy } from './feature-values';

export const INSULIN_NOTE =
  'Insulin zeros are counted as missing in this analysis but kept as 0 for the model, not imputed (the reference ' +
  "design's decision): a zero can be a genuine reading, and with a large share of the column zero a median would " +
  'give many patients an invented value and hide that the test was not done, while a tree model can use "no value" ' +
  'itself. The statistics here leave the zeros out so they describe the measured values.';

const POLICY_NOTES: Record<ZeroPolicy, string> = {
  'missing-imputed': 'zero means "not measured"; the preprocessor replaces it by the training median',
  'missing-kept': 'zero most likely means "not measured"; kept as 0 for the model, not imputed',
  valid: 'zero is a valid value',
};

export function missingDataSection(rowCount: number, prepared: PreparedFeatures): MissingDataSection {
  const features: FeatureMissingness[] = FEATURE_COLUMNS.map((feature: FeatureName) => {
    const p = prepared[feature];
    const policy = zeroPolicy(feature);
    return {
      feature,
      zeroPolicy: policy,
      zeroCount: p.zeroCount,
      zeroShare: share(p.zeroCount, rowCount),
      nanCount: p.nanCount,
      missingCount: p.missingCount,
      missingShare: share(p.missingCount, rowCount),
      note: POLICY_NOTES[policy],
    };
  });
  let rowsWithAnyMissing = 0;
  const columns = FEATURE_COLUMNS.filter((f) => prepared[f].missingCount > 0).map((f) => prepared[f].measured);
  for (let i = 0; i < rowCount; i++) {
    for (const column of columns) {
      if (Number.isNaN(column[i])) {
        rowsWithAnyMissing++;
        break;
      }
    }
  }
  return {
    rowCount,
    features,
    rowsWithAnyMissing,
    rowsWithAnyMissingShare: share(rowsWithAnyMissing, rowCount),
    insulinNote: INSULIN_NOTE,
  };
}

export function share(count: number, total: number): number {
  return total > 0 ? count / total : 0;
}
