import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { columnsInOrder } from '../explain/tree-shap';
import { MODEL_FEATURES } from '../schema/columns';
import { loadPimaColumns } from '../testing/pima';
import { emptyTree, syntheticEnsemble } from '../testing/synthetic-ensemble';
import { seededRandom } from '../util/seeded-random';
import { predictMargins } from './batch-margins';
import { predictMargin, type TreeEnsemble } from './tree';

const pima = loadPimaColumns();
const features = [...MODEL_FEATURES];
const columns = columnsInOrder(pima.model, features);

/** predictMargin row by row, the reference: each row copied into `row` (a Float64Array or Float32Array). */
function rowByRow(ensemble: TreeEnsemble, cols: readonly ArrayLike<number>[], row: Float64Array | Float32Array) {
  return Float64Array.from({ length: pima.rowCount }, (_, r) => {
    for (let f = 0; f < row.length; f++) row[f] = cols[f][r];
    return predictMargin(ensemble, row);
  });
}

function withMissing(seed: number): Float64Array[] {
  const random = seededRandom(seed);
  return columns.map((column) => Float64Array.from(column, (x) => (random() < 0.1 ? Number.NaN : x)));
}

describe('predictMargins', () => {
  const ensemble = syntheticEnsemble(columns, pima.rowCount, features, { trees: 150, maxLeaves: 31, maxDepth: 8 }, 3);

  test('equals predictMargin bit for bit on every Pima row, missing values included', () => {
    for (const cols of [columns, withMissing(5)]) {
      const expected = rowByRow(ensemble, cols, new Float64Array(features.length));
      expect(Array.from(predictMargins(ensemble, cols, pima.rowCount))).toEqual(Array.from(expected));
    }
  });

  test('with float32Inputs equals predictMargin on float32 rows, as the ONNX model sees them', () => {
    // Thresholds are data values; each value raised by a relative 1e-12 goes right in float64 but rounds back onto
    // its threshold in float32, so the two modes must differ.
    const nudged = columns.map((column) => Float64Array.from(column, (x) => x + x * 1e-12));
    const expected = rowByRow(ensemble, nudged, new Float32Array(features.length));
    const margins = predictMargins(ensemble, nudged, pima.rowCount, { float32Inputs: true });
    expect(Array.from(margins)).toEqual(Array.from(expected));
    const unrounded = predictMargins(ensemble, nudged, pima.rowCount);
    expect(Array.from(unrounded)).toEqual(Array.from(rowByRow(ensemble, nudged, new Float64Array(features.length))));
    expect(Array.from(unrounded)).not.toEqual(Array.from(margins));
  });

  test('a single-leaf tree adds its value to every row, and no trees leave the base score', () => {
    const stump = { ...emptyTree(), leafValue: [0.25] };
    const ensemble: TreeEnsemble = { featureNames: features, baseScore: -1.5, trees: [stump, stump] };
    expect(Array.from(predictMargins(ensemble, columns, 3))).toEqual([-1, -1, -1]);
    expect(Array.from(predictMargins({ ...ensemble, trees: [] }, columns, 2))).toEqual([-1.5, -1.5]);
  });

  test.skipIf(!existsSync('models/production/trees.json'))('equals predictMargin on the production trees', () => {
    const production = JSON.parse(readFileSync('models/production/trees.json', 'utf8')) as TreeEnsemble;
    const expected = rowByRow(production, columns, new Float32Array(features.length));
    expect(Array.from(predictMargins(production, columns, pima.rowCount, { float32Inputs: true }))).toEqual(
      Array.from(expected),
    );
  });
});
