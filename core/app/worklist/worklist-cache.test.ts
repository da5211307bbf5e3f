import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pimaPath } from '../../testing/pima';
import { contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';
import { WorklistCache, warningText } from './worklist-cache';

let app: TestApp;
let dir: string;
const call = contractCaller(() => app);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-worklist-cache-'));
  app = await createTestApp(join(dir, 'data'));
}, 60_000);
afterAll(() => {
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The Pima file as a batch (ids P1...), every seventh Glucose replaced by an implausible 5, a blank line inside. */
function pimaBatch(): string {
  const [header, ...rows] = readFileSync(pimaPath(), 'utf8').trim().split('\n');
  const columns = header.split(',');
  const glucose = columns.indexOf('Glucose');
  const outcome = columns.indexOf('Outcome');
  const lines = rows.map((row, i) => {
    const cells = row.split(',');
    if (i % 7 === 3) cells[glucose] = '5';
    return [`P${i + 1}`, ...cells.filter((_, c) => c !== outcome)].join(',');
  });
  lines.splice(100, 0, '');
  return `${['patient_id', ...columns.filter((_, c) => c !== outcome)].join(',')}\n${lines.join('\n')}\n`;
}

test('the worklist of a stored batch holds every stored row, in order, with the warnings of its own line', async () => {
  const admin = app.newSession();
  value(await call(admin, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
  const imported = value(
    await call(admin, 'importBatch', { operationId: 'pima_csv', fileName: 'pima.csv', content: pimaBatch() }),
  );
  const record = app.store.batches.get(Number(imported.batch.batchId));
  if (!record) throw new Error('the batch was not stored');
  expect(record.rowsValid).toBe(768);

  // The reference: the store's rows and warnings, joined by line as the store keys them.
  const stored = [...app.store.batches.iteratePredictions(record.id)];
  const ids = stored.flatMap((chunk) => chunk.table.ids);
  const lines = stored.flatMap((chunk) => Array.from(chunk.table.lineNumbers));
  const scores = stored.flatMap((chunk) => Array.from(chunk.scores));
  const expectedWarnings = new Map<number, string[]>();
  const warnings = app.store.batches.issues(record.id, { severity: 'warning', limit: 50_000 });
  for (const issue of warnings) {
    const row = lines.indexOf(issue.line ?? -1);
    if (row >= 0)
      expectedWarnings.set(row, [...(expectedWarnings.get(row) ?? []), warningText(issue.column, issue.message)]);
  }
  expect(expectedWarnings.size).toBeGreaterThan(100);

  // A batch record that understates its rows makes the same worklist (the columns grow as they fill).
  for (const shown of [record, { ...record, rowsValid: 1 }, { ...record, rowsValid: 0 }]) {
    const index = new WorklistCache(app.store, 0.05).of(shown);
    expect(index.rowCount).toBe(768);
    for (let row = 0; row < index.rowCount; row++) {
      const listed = index.row(row);
      expect(listed.patientId).toBe(ids[row]);
      expect(listed.score).toBe(scores[row]);
      expect(listed.warnings).toEqual(expectedWarnings.get(row) ?? []);
    }
  }
  // Line numbers past the blank line are one further on: the warnings still land on their own patients.
  const late = [...expectedWarnings.keys()].find((row) => row > 100);
  expect(late).toBeDefined();
  expect(lines[late as number]).toBe((late as number) + 3);
});
