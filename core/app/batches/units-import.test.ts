import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../config/app-config';
import { FEATURE_COLUMNS } from '../../schema/columns';
import { loadPimaColumns } from '../../testing/pima';
import type { ClientSession } from '../client-session';
import { adminAndClinician, contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';
import { MOST_ROWS_WARNED } from './batch-mapping';

/** Importing through the app: a held file, declared units, and a batch whose rows mostly carry warnings. */

let app: TestApp;
let dir: string;
let clinician: ClientSession;
const call = contractCaller(() => app);
const pima = loadPimaColumns();

function batchCsv(rows: number, glucose: (mg: number) => string, glucoseHeader = 'Glucose'): string {
  const lines = [['patient_id', ...FEATURE_COLUMNS.map((c) => (c === 'Glucose' ? glucoseHeader : c))].join(',')];
  for (let r = 0; r < rows; r++) {
    const cells = FEATURE_COLUMNS.map((c) => (c === 'Glucose' ? glucose(pima.raw.Glucose[r]) : String(pima.raw[c][r])));
    lines.push([`P${r + 1}`, ...cells].join(','));
  }
  return `${lines.join('\n')}\n`;
}
const mmol = (mg: number) => (mg / 18.016).toFixed(1);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-units-app-'));
  app = await createTestApp(join(dir, 'data'), { config: parseConfig({ units: { Insulin: 'µU/mL' } }) });
  ({ clinician } = await adminAndClinician(app));
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('importing through the app', () => {
  test('a file in mmol/L without a declared unit is held: the message, the report, no worklist, a held batch', async () => {
    const result = await call(clinician, 'importBatch', {
      operationId: 'op-held',
      fileName: 'mmol_day.csv',
      content: batchCsv(200, mmol),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('file-held');
    expect(result.error.message).toBe(
      'mmol_day.csv was held, not scored: Glucose looks like mmol/L: declare the unit (Glucose (mmol/L)) or convert.',
    );
    expect(result.error.report?.totalRows).toBe(200);
    const history = value(await call(clinician, 'listBatches', {}));
    const held = history.find((b) => b.fileName === 'mmol_day.csv');
    expect(held).toMatchObject({
      status: 'held',
      totalRows: 200,
      acceptedRows: 0,
      counts: { High: 0, Medium: 0, Low: 0 },
      attention: 'Glucose looks like mmol/L: declare the unit (Glucose (mmol/L)) or convert',
    });
    // Nothing to review: the held batch has no worklist rows.
    const page = await call(clinician, 'worklistPage', { batchId: held?.batchId as string, offset: 0, limit: 50 });
    expect(value(page).total).toBe(0);
  });

  test('the same values declared as Glucose (mmol/L) import, and the summary names the units', async () => {
    const imported = value(
      await call(clinician, 'importBatch', {
        operationId: 'op-declared',
        fileName: 'mmol_declared.csv',
        content: batchCsv(200, mmol, 'Glucose (mmol/L)'),
      }),
    );
    expect(imported.batch.status).toBe('complete');
    expect(imported.batch.units).toBe(
      'Glucose in mmol/L (converted to mg/dL x 18.016, declared in the header); Insulin in µU/mL (declared in the config)',
    );
    expect(imported.batch.attention).toBeNull();
    expect(imported.batch.counts.High + imported.batch.counts.Medium).toBeGreaterThan(0);
  });

  test('a small file whose rows mostly warn is imported, but not as simply complete', async () => {
    const imported = value(
      await call(clinician, 'importBatch', {
        operationId: 'op-small',
        fileName: 'small.csv',
        content: batchCsv(6, mmol),
      }),
    );
    expect(imported.batch.status).toBe('complete');
    expect(imported.batch.attention).toBe(MOST_ROWS_WARNED);
    const history = value(await call(clinician, 'listBatches', {}));
    expect(history.find((b) => b.fileName === 'small.csv')?.attention).toBe(MOST_ROWS_WARNED);
  });
});
