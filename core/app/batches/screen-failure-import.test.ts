import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS } from '../../schema/columns';
import type { FaultKind, FaultPoint } from '../../screening/fault-injection';
import { loadPimaColumns } from '../../testing/pima';
import type { ClientSession } from '../client-session';
import { adminAndClinician, contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';

/**
 * A batch that fails part-way for a reason outside the file (the real errors the fault hook raises) reaches the
 * caller as `screen-failed` with the failure's own message, not as a generic internal error, and leaves the store
 * as the message says.
 */

let app: TestApp;
let dir: string;
let clinician: ClientSession;
const call = contractCaller(() => app);
const pima = loadPimaColumns();
// A value that no message may repeat: only patient_id may appear.
const MARKED_AGE = '97';

function pimaCsv(rows: number, idPrefix: string): string {
  const lines = [['patient_id', ...FEATURE_COLUMNS].join(',')];
  for (let r = 0; r < rows; r++) {
    const cells = FEATURE_COLUMNS.map((c) => (c === 'Age' && r === 0 ? MARKED_AGE : String(pima.raw[c][r])));
    lines.push([`${idPrefix}${r + 1}`, ...cells].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function injectFault(point: FaultPoint, kind: Exclude<FaultKind, 'kill'>): void {
  process.env.GLUCOSCREEN_TEST_FAULTS = '1';
  process.env.GLUCOSCREEN_FAULT = point;
  process.env.GLUCOSCREEN_FAULT_KIND = kind;
}

afterEach(() => {
  delete process.env.GLUCOSCREEN_TEST_FAULTS;
  delete process.env.GLUCOSCREEN_FAULT;
  delete process.env.GLUCOSCREEN_FAULT_KIND;
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-screen-failure-app-'));
  app = await createTestApp(join(dir, 'data'));
  ({ clinician } = await adminAndClinician(app));
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a batch that fails part-way, imported through the app', () => {
  test('a full disk before storing: screen-failed, the stage and "nothing stored"; the same file then imports', async () => {
    const content = pimaCsv(120, 'DF');
    const before = value(await call(clinician, 'listBatches', {})).length;
    injectFault('after-score', 'disk-full');
    const result = await call(clinician, 'importBatch', { operationId: 'op-full', fileName: 'full_disk.csv', content });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('screen-failed');
    expect(result.error.message).toMatch(
      /^full_disk\.csv: reading and scoring failed: the disk is full \(ENOSPC\); nothing of this batch was stored/,
    );
    expect(result.error.message).not.toContain('unexpected error');
    expect(result.error.message).not.toContain(MARKED_AGE);
    expect(value(await call(clinician, 'listBatches', {}))).toHaveLength(before);

    // Nothing half-done blocks the retry: the same bytes are not taken for a duplicate.
    delete process.env.GLUCOSCREEN_TEST_FAULTS;
    const retry = value(
      await call(clinician, 'importBatch', { operationId: 'op-retry', fileName: 'full_disk.csv', content }),
    );
    expect(retry.batch.acceptedRows).toBe(120);
  });

  test('a locked database after the commit: screen-failed names the stored batch, which is in the history', async () => {
    injectFault('after-commit', 'database-locked');
    const result = await call(clinician, 'importBatch', {
      operationId: 'op-locked',
      fileName: 'locked.csv',
      content: pimaCsv(80, 'DL'),
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('screen-failed');
    const stored = /batch (\d+) is stored/.exec(result.error.message);
    expect(stored, result.error.message).not.toBeNull();
    expect(result.error.message).toContain('the database is locked by another process (SQLITE_BUSY)');
    delete process.env.GLUCOSCREEN_TEST_FAULTS;
    const batch = value(await call(clinician, 'getBatch', { batchId: String(stored?.[1]) }));
    expect(batch.fileName).toBe('locked.csv');
  });
});
