import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { importLabels } from '../labels/label-import';
import { FEATURE_COLUMNS } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import { storeLabelledWeeks } from '../testing/labelled-production';
import { loadPimaTable } from '../testing/pima';
import { storePerTest } from '../testing/temp-store';
import { readSnapshot, SnapshotError, snapshotCsv, writeSnapshot } from './dataset-snapshot';
import { assembleFromStore, DATASETS_DIR, snapshotDataset } from './prepare-dataset';

let pima: PatientTable;
beforeAll(async () => {
  pima = await loadPimaTable();
});
const temp = storePerTest(() => temp().store, 'retrain-set-');

/** Two weeks of 40 labelled patients, plus one unmatched label and one prediction judged by two disagreeing labels. */
async function labelledStore() {
  const { store, dir } = temp();
  const weeks = await storeLabelledWeeks(store, pima, {
    startMonday: '2026-11-02',
    weeks: 2,
    rowsPerWeek: 40,
    seed: 5,
    dir,
  });
  // W0-01 was screened in week 0 and labelled already; a second label of the same prediction without a date and with
  // the other outcome matches the same row: the two disagree. NEVER-SEEN has no prediction at all.
  const first = weeks.outcomes[0][0];
  const extra = join(dir, 'more-labels.csv');
  writeFileSync(extra, `patient_id,outcome,diagnosis_date\nW0-01,${1 - first},2026-11-06\nNEVER-SEEN,1,2026-11-20\n`);
  const report = await importLabels(store, extra, 'tester');
  expect(report.unmatched.map((u) => u.patientId)).toEqual(['NEVER-SEEN']);
  return weeks;
}

describe('assembling the training set from the store', () => {
  test('the original rows, then every production row with an agreeing matched label, inputs exactly as stored', async () => {
    const weeks = await labelledStore();
    const { set, counts } = assembleFromStore(temp().store, pima);
    expect(counts.rowsBySource).toEqual({ training: 768, production: 79 });
    expect(counts.excluded).toEqual({ unmatchedLabels: 1, conflictingLabels: 2 });
    expect(counts.labelFrom).toBe('2026-11-04');
    expect(counts.labelTo).toBe('2026-11-11');
    expect(set.table.rowCount).toBe(768 + 79);
    for (const name of FEATURE_COLUMNS) {
      expect(Array.from(set.table.features[name].subarray(0, 768))).toEqual(Array.from(pima.features[name]));
    }
    // Production rows in store order (week, then row), the conflicted W0-01 (row 0 of week 0) left out.
    const expectedIds = [...weeks.tables[0].ids.slice(1), ...weeks.tables[1].ids];
    expect(set.table.ids.slice(768)).toEqual(expectedIds);
    const week1 = weeks.tables[1];
    const at = 768 + 39 + 7;
    for (const name of FEATURE_COLUMNS) expect(set.table.features[name][at]).toBe(week1.features[name][7]);
    expect(set.table.outcome?.[at]).toBe(weeks.outcomes[1][7]);
    expect(set.source.slice(766, 770)).toEqual(['training', 'training', 'production', 'production']);
    expect(counts.positivesBySource.production).toBe(
      [...weeks.outcomes[0].subarray(1), ...weeks.outcomes[1]].filter((o) => o === 1).length,
    );
  });

  test('the same store content gives the same snapshot sha256; a new label gives another one', async () => {
    await labelledStore();
    const { store, dir } = temp();
    const a = snapshotDataset(store, dir, assembleFromStore(store, pima), 'admin');
    const b = snapshotDataset(store, dir, assembleFromStore(store, pima), 'admin');
    expect(b.version.sha256).toBe(a.version.sha256);
    expect(b.created).toBe(false);
    expect(b.version.id).toBe(a.version.id);
    expect(a.path).toBe(join(dir, DATASETS_DIR, `${a.version.sha256}.csv`));
    expect(statSync(a.path).mode & 0o777).toBe(0o600);
    expect(a.version).toMatchObject({
      rowsTotal: 847,
      rowsBySource: { training: 768, production: 79 },
      excluded: { unmatchedLabels: 1, conflictingLabels: 2 },
      labelFrom: '2026-11-04',
      labelTo: '2026-11-11',
      createdBy: 'admin',
    });

    await storeLabelledWeeks(store, pima, { startMonday: '2026-11-16', weeks: 1, rowsPerWeek: 5, seed: 9, dir });
    const c = snapshotDataset(store, dir, assembleFromStore(store, pima), 'admin');
    expect(c.version.sha256).not.toBe(a.version.sha256);
    expect(c.version.rowsBySource).toEqual({ training: 768, production: 84 });
    expect(store.datasets.list().map((v) => v.sha256)).toEqual([c.version.sha256, a.version.sha256]);
  });

  test('the snapshot reads back to the same rows, and a changed byte is refused naming the file', async () => {
    await labelledStore();
    const { store, dir } = temp();
    const assembled = assembleFromStore(store, pima);
    const { path, sha256 } = writeSnapshot(join(dir, DATASETS_DIR), assembled.set);
    const back = readSnapshot(path, sha256).set;
    expect(snapshotCsv(back)).toBe(snapshotCsv(assembled.set));
    expect(back.screenedOn.slice(767, 769)).toEqual([null, '2026-11-04']);

    const text = readFileSync(path, 'utf8');
    writeFileSync(
      path,
      text.replace(/\n(production,[^,]*,)(\d+)/, (_m, head, v) => `\n${head}${Number(v) + 1}`),
    );
    expect(() => readSnapshot(path, sha256)).toThrow(`${path}: sha256 is`);
  });

  test('a corrupt snapshot names the line, column and rule', () => {
    const { dir } = temp();
    const path = join(dir, 'bad.csv');
    const header = `source,screened_on,${FEATURE_COLUMNS.join(',')},Outcome`;
    const cases: [string, string][] = [
      ['training,,1,2,3,4,5,6,0.5,30,2', 'line 2, column Outcome: must be 0 or 1, got "2"'],
      ['production,,1,2,3,4,5,6,0.5,30,1', 'line 2, column screened_on'],
      ['lab,,1,2,3,4,5,6,0.5,30,1', 'line 2, column source'],
      ['training,,1,x,3,4,5,6,0.5,30,1', 'line 2, column Glucose: not a number: "x"'],
      ['training,,1,2,,4,5,6,0.5,30,1', 'line 2, column BloodPressure: a value is required'],
      ['training,,1,2,3', 'line 2: 5 cells, expected 11'],
    ];
    for (const [row, message] of cases) {
      writeFileSync(path, `${header}\n${row}\n`);
      expect(() => readSnapshot(path), row).toThrow(SnapshotError);
      expect(() => readSnapshot(path), row).toThrow(message);
    }
    writeFileSync(path, 'source,Outcome\n');
    expect(() => readSnapshot(path)).toThrow('line 1: the header must be');
  });
});
