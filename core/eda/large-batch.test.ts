import { expect, test } from 'vitest';
import { FEATURE_COLUMNS } from '../schema/columns';
import { syntheticTable } from '../screening/synthetic-batch';
import { loadPimaTable } from '../testing/pima';
import { analyseDataset } from './analyse-dataset';
import { ZERO_MISSING_COLUMNS } from './feature-values';

// Speed is measured by scripts/bench/eda.ts; this test checks that a batch of this size analyses correctly.
test('a 1,000,000-row synthetic batch without outcomes analyses completely', { timeout: 120_000 }, async () => {
  const rows = 1_000_000;
  const batch = syntheticTable(await loadPimaTable(), { rows: rows, seed: 7 });
  const report = analyseDataset(batch);

  expect(report.rowCount).toBe(rows);
  expect(report.hasOutcome).toBe(false);
  expect(report.featureVsOutcome.features).toBeNull();
  for (const f of report.missingData.features) {
    let zeros = 0;
    for (const v of batch.features[f.feature]) if (v === 0) zeros++;
    expect(f.zeroCount, f.feature).toBe(zeros);
    expect(f.missingCount, f.feature).toBe(ZERO_MISSING_COLUMNS.includes(f.feature) ? zeros : 0);
  }
  for (const d of report.distributions.features) {
    expect(d.stats.n, d.feature).toBe(rows - d.excludedCount);
    expect(
      d.bins.reduce((sum, b) => sum + b.count, 0),
      d.feature,
    ).toBe(d.stats.n);
    const { min, q1, median, q3, max } = d.stats;
    expect(
      [min, q1, median, q3, max].every((v, i, all) => v !== null && (i === 0 || v >= (all[i - 1] as number))),
    ).toBe(true);
  }
  expect(report.correlation.columns).toEqual([...FEATURE_COLUMNS]);
  expect(report.correlation.matrix.flat().every((r) => r !== null && r >= -1 && r <= 1)).toBe(true);
  const age = report.subgroups.variables[0];
  expect(age.groups.reduce((sum, g) => sum + g.count, 0)).toBe(rows);
  for (const o of report.outliers.features) {
    expect(o.extremes.length).toBeLessThanOrEqual(report.options.outliersListed);
    for (const e of o.extremes) expect(batch.ids[e.lineNumber - 2]).toBe(e.patientId);
  }
  expect(report.keyFindings.every((f) => !f.usesOutcome)).toBe(true);
  expect(JSON.parse(JSON.stringify(report))).toEqual(report);
});
