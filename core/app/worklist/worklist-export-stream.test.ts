import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ExportProgress } from '../../api/worklist-export-methods';
import { ingestCsvFile } from '../../ingest/csv-ingest';
import { writeSyntheticBatch } from '../../screening/synthetic-batch';
import { pimaPath } from '../../testing/pima';
import { writeUploadFolder } from '../../testing/upload-folders';
import type { ClientSession } from '../client-session';
import { STALE_UPLOAD_MS } from '../temp-upload';
import { contractCaller, value } from '../test-support/app-calls';
import { createTestApp, type TestApp } from '../test-support/test-app';

let app: TestApp;
let dir: string;
let clinician: ClientSession;
let batchId: string;
const progress: ExportProgress[] = [];
const call = contractCaller(
  () => app,
  (_event, payload) => {
    if (!('phase' in payload)) progress.push(payload);
  },
);
const ROWS = 3000;
/** The smallest chunk a caller may ask for, so that a test-sized export comes in several. */
const CHUNK = 64 * 1024;
const tempDir = () => join(dir, 'data', 'tmp');
const exportDirs = () => (existsSync(tempDir()) ? readdirSync(tempDir()).filter((f) => f.startsWith('export-')) : []);

/** Reads a prepared export to its end, as the UI does; returns the chunks. */
async function readAll(session: ClientSession, exportId: string): Promise<string[]> {
  const chunks: string[] = [];
  for (let offset = 0, done = false; !done; ) {
    const chunk = value(await call(session, 'readExportChunk', { exportId, offset, maxBytes: CHUNK }));
    chunks.push(chunk.content);
    ({ nextOffset: offset, done } = chunk);
  }
  return chunks;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glucoscreen-export-stream-'));
  // An export a previous run of the app left half-read when it closed.
  mkdirSync(join(tempDir(), 'export-left-behind'), { recursive: true });
  writeFileSync(join(tempDir(), 'export-left-behind', 'worklist.csv'), '"patient_id"\r\n"P1"\r\n');
  // An import a previous run was killed in the middle of, and one another process has in flight.
  writeUploadFolder(tempDir(), 'upload-00000000000000aa', STALE_UPLOAD_MS + 60_000);
  writeUploadFolder(tempDir(), 'upload-00000000000000bb', 0);
  app = await createTestApp(join(dir, 'data'));
  const pima = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!pima.ok) throw new Error('Pima did not load');
  // Rows with Glucose or BMI 0 (not measured) come through as they would in a clinic's file.
  writeSyntheticBatch(join(dir, 'large.csv'), pima.table, { rows: ROWS, seed: 11, idPrefix: 'X' });
  clinician = app.newSession();
  value(await call(clinician, 'createAdmin', { username: 'admin', password: 'correct horse 1' }));
  const content = readFileSync(join(dir, 'large.csv'), 'utf8');
  batchId = value(await call(clinician, 'importBatch', { operationId: 'large', fileName: 'large.csv', content })).batch
    .batchId;
});

afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the streamed worklist export', () => {
  test('the app removes the exports a previous run left in its temp folder when it starts', () => {
    expect(exportDirs()).toEqual([]);
  });

  test("the app removes an upload a previous run was stopped in the middle of, not another's upload in flight", () => {
    expect(readdirSync(tempDir()).filter((f) => f.startsWith('upload-'))).toEqual(['upload-00000000000000bb']);
  });

  test('reads back, chunk by chunk, exactly the CSV of the one-call export, with progress up to every row', async () => {
    const query = { sort: [{ column: 'glucose' as const, direction: 'asc' as const }] };
    const prepared = value(await call(clinician, 'startWorklistExport', { operationId: 'exp-1', batchId, query }));
    expect(prepared.rowCount).toBe(ROWS);
    expect(prepared.fileName).toBe('large_worklist.csv');
    // Bigger than one chunk, so the reading really is in pieces.
    expect(prepared.bytes).toBeGreaterThan(4 * CHUNK);

    const events = progress.filter((p) => p.operationId === 'exp-1');
    // One event as the header is written, then one per slice of rows explained and written.
    expect(events[0].done).toBe(0);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => e.total === ROWS)).toBe(true);
    expect(events.map((e) => e.done)).toEqual([...events.map((e) => e.done)].sort((a, b) => a - b));
    expect(events[events.length - 1].done).toBe(ROWS);
    expect(exportDirs()).toHaveLength(1);

    const chunks = await readAll(clinician, prepared.exportId);
    expect(chunks.length).toBeGreaterThan(4);
    for (const chunk of chunks) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(CHUNK);
    // Whole lines in every chunk: nothing is cut in the middle of a line (or of a character).
    for (const chunk of chunks) expect(chunk.endsWith('\r\n')).toBe(true);
    const streamed = chunks.join('');
    expect(Buffer.byteLength(streamed)).toBe(prepared.bytes);
    const whole = value(await call(clinician, 'exportWorklist', { batchId, query }));
    expect(streamed).toBe(whole.content);
    expect(streamed.split('\r\n')).toHaveLength(ROWS + 2);
    // Read to its end, the temp file is gone, and the id with it.
    expect(exportDirs()).toEqual([]);
    const again = await call(clinician, 'readExportChunk', { exportId: prepared.exportId, offset: 0 });
    expect(again).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  test('a filtered export holds only the filter, is audited with its row count, and no other session can read it', async () => {
    const prepared = value(
      await call(clinician, 'startWorklistExport', {
        operationId: 'exp-2',
        batchId,
        query: { categories: ['High'], search: 'X1' },
      }),
    );
    const lines = (await readAll(clinician, prepared.exportId)).join('').trimEnd().split('\r\n').slice(1);
    expect(lines).toHaveLength(prepared.rowCount);
    expect(prepared.rowCount).toBeGreaterThan(0);
    expect(prepared.rowCount).toBeLessThan(ROWS / 3);
    for (const line of lines) expect(line).toMatch(/^"X1[^"]*","High",/);
    const audit = app.store.audit.list({ action: 'batch.worklist-exported', limit: 10 });
    expect(audit.some((e) => (e.details as { rows?: number }).rows === prepared.rowCount)).toBe(true);

    const other = app.newSession();
    value(await call(other, 'signIn', { username: 'admin', password: 'correct horse 1' }));
    const next = value(await call(clinician, 'startWorklistExport', { operationId: 'exp-3', batchId }));
    const refused = await call(other, 'readExportChunk', { exportId: next.exportId, offset: 0 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const past = await call(clinician, 'readExportChunk', { exportId: next.exportId, offset: next.bytes + 1 });
    expect(past).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    await readAll(clinician, next.exportId);
    expect(exportDirs()).toEqual([]);
  });
});
