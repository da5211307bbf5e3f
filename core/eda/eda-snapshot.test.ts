import { describe, expect, test } from 'vitest';
import { loadPimaTable } from '../testing/pima';
import { analyseDataset } from './analyse-dataset';
import { edaSnapshot } from './eda-snapshot';

describe('the EDA snapshot a model bundle carries', () => {
  test('has every section of the training data with no individual patient in it', async () => {
    const pima = await loadPimaTable();
    const snapshot = edaSnapshot(pima, 'f'.repeat(64));
    const full = analyseDataset(pima);
    const text = JSON.stringify(snapshot);
    // The full report lists the most extreme patients by id and line; the snapshot lists none.
    expect(full.outliers.features.some((f) => f.extremes.length > 0)).toBe(true);
    expect(snapshot.report.outliers.features.every((f) => f.extremes.length === 0)).toBe(true);
    expect(text).not.toMatch(/patientId|lineNumber/);
    for (const id of pima.ids) expect(text.includes(`"${id}"`)).toBe(false);
    // Everything else is the full report's statistics.
    const strip = (r: typeof full) => ({
      ...r,
      options: { ...r.options, outliersListed: 0 },
      outliers: { ...r.outliers, features: r.outliers.features.map((f) => ({ ...f, extremes: [] })) },
    });
    expect(snapshot.report).toEqual(strip(full));
    expect(Object.keys(snapshot.report)).toEqual(
      expect.arrayContaining([
        'overview',
        'missingData',
        'distributions',
        'featureVsOutcome',
        'correlation',
        'clinicalThresholds',
        'subgroups',
        'outliers',
        'keyFindings',
      ]),
    );
    expect(snapshot).toMatchObject({ dataSha256: 'f'.repeat(64), rowCount: 768 });
  });
});
