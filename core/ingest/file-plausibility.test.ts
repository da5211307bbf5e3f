import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS } from '../schema/columns';
import { loadPimaColumns, type PimaColumns } from '../testing/pima';
import { seededRandom } from '../util/seeded-random';
import { ingestCsvFile } from './csv-ingest';
import { MIN_PRESENT_VALUES, PlausibilityTally } from './file-plausibility';

let pima: PimaColumns;
let dir: string;
beforeAll(() => {
  pima = loadPimaColumns();
  dir = mkdtempSync(join(tmpdir(), 'plausibility-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The tally of Pima rows `rows`, as the ingest adds valid rows (all Pima values are valid). */
function tallyOf(rows: ArrayLike<number>, scale: Partial<Record<string, number>> = {}): PlausibilityTally {
  const tally = new PlausibilityTally();
  for (let i = 0; i < rows.length; i++) {
    FEATURE_COLUMNS.forEach((c, f) => {
      tally.add(f, pima.raw[c][rows[i]] * (scale[c] ?? 1));
    });
  }
  return tally;
}

function sample(random: () => number, size: number): Uint32Array {
  return Uint32Array.from({ length: size }, () => Math.floor(random() * pima.rowCount));
}

describe('the file-level check never holds a legitimate Pima-like batch', () => {
  test('the whole Pima file', () => {
    expect(tallyOf(Uint32Array.from({ length: pima.rowCount }, (_, i) => i)).evaluate([])).toBeNull();
  });

  test('2,000 random 200-row samples', () => {
    const random = seededRandom(2026);
    for (let seed = 0; seed < 2000; seed++)
      expect(tallyOf(sample(random, 200)).evaluate([]), `sample ${seed}`).toBeNull();
  });

  test('5,000 small samples of 10 to 20 rows, where one odd patient weighs most', () => {
    const random = seededRandom(7);
    for (let seed = 0; seed < 5000; seed++) {
      const size = MIN_PRESENT_VALUES + Math.floor(random() * 11);
      expect(tallyOf(sample(random, size)).evaluate([]), `sample ${seed} of ${size}`).toBeNull();
    }
  });

  test('the same samples scaled to another unit are held, naming the column', () => {
    const random = seededRandom(11);
    for (let seed = 0; seed < 200; seed++) {
      const rows = sample(random, 200);
      expect(tallyOf(rows, { Glucose: 1 / 18.016 }).evaluate([])?.code).toBe('looks_like_mmol_per_l');
      expect(tallyOf(rows, { Insulin: 6 }).evaluate([])?.code).toBe('looks_like_pmol_per_l');
      expect(tallyOf(rows, { BMI: 0.01 }).evaluate([])?.code).toBe('looks_like_a_fraction');
      expect(tallyOf(rows, { Age: 12 }).evaluate([])?.code).toBe('looks_like_months');
    }
  });

  test('zeros that mean "not measured" do not count: a file of mostly missing Glucose is judged on the rest', () => {
    const tally = new PlausibilityTally();
    const glucose = FEATURE_COLUMNS.indexOf('Glucose');
    for (let i = 0; i < 100; i++) tally.add(glucose, 0);
    for (let i = 0; i < 20; i++) tally.add(glucose, 120);
    expect(tally.present[glucose]).toBe(20);
    expect(tally.evaluate([])).toBeNull();
  });

  test('fewer present values than the minimum are not judged', () => {
    const tally = new PlausibilityTally();
    const glucose = FEATURE_COLUMNS.indexOf('Glucose');
    for (let i = 0; i < MIN_PRESENT_VALUES - 1; i++) tally.add(glucose, 8.2);
    expect(tally.evaluate([])).toBeNull();
    tally.add(glucose, 8.2);
    expect(tally.evaluate([])?.column).toBe('Glucose');
  });
});

describe('both parse paths hold the same file with the same report', () => {
  /** 300 Pima rows with Glucose written by `glucose`, read by both paths; a quoted id at row 150 sends the rest of the file to papaparse. */
  async function readBothWays(name: string, header: string, glucose: (mg: number) => string) {
    const lines = [header];
    for (let r = 0; r < 300; r++) {
      const values = FEATURE_COLUMNS.map((c) => (c === 'Glucose' ? glucose(pima.raw[c][r]) : pima.raw[c][r]));
      lines.push([r === 150 ? '"P,150"' : `P${r}`, ...values].join(','));
    }
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const fast = await ingestCsvFile(path, { mode: 'batch', fastPath: true });
    const papaparse = await ingestCsvFile(path, { mode: 'batch', fastPath: false });
    expect(fast).toEqual(papaparse);
    return fast;
  }

  test('Glucose in mmol/L, undeclared', async () => {
    const read = await readBothWays('mmol.csv', `patient_id,${FEATURE_COLUMNS.join(',')}`, (mg) =>
      (mg / 18.016).toFixed(1),
    );
    expect(read.report.hold).toEqual({
      column: 'Glucose',
      code: 'looks_like_mmol_per_l',
      message: 'Glucose looks like mmol/L: declare the unit (Glucose (mmol/L)) or convert',
    });
  });

  test('Glucose (mmol/L) declared: every value converted alike, the header matched ignoring case and spaces', async () => {
    const header =
      'patient_id,Pregnancies, glucose ( MMOL/l ),BloodPressure,SkinThickness,INSULIN (uU/ml),BMI,DiabetesPedigreeFunction,Age (years)';
    const read = await readBothWays('declared.csv', header, (mg) => String(mg / 18.016));
    expect(read.report.hold).toBeNull();
    expect(read.report.units.map((u) => [u.column, u.unit])).toEqual([
      ['Glucose', 'mmol/L'],
      ['Insulin', 'µU/mL'],
      ['Age', 'years'],
    ]);
    if (!read.ok) throw new Error('not read');
    for (let r = 0; r < 300; r++) expect(read.table.features.Glucose[r]).toBeCloseTo(pima.raw.Glucose[r], 10);
  });

  test('a header naming a column twice, once with a unit, is a duplicate', async () => {
    const path = join(dir, 'twice.csv');
    writeFileSync(path, `patient_id,${FEATURE_COLUMNS.join(',')},Glucose (mmol/L)\nP1,1,148,72,35,0,33.6,0.6,50,8.2\n`);
    const result = await ingestCsvFile(path, { mode: 'batch' });
    expect(result.report.fileError?.code).toBe('duplicate_headers');
    expect(result.report.fileError?.message).toMatch(/Glucose \/ Glucose \(mmol\/L\)/);
  });
});
