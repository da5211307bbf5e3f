import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { openStore } from '../store/sqlite-store';
import { loadPimaTable } from '../testing/pima';
import { main as screenMain } from './screen';

/**
 * Alerts are raised by the batch that causes them: screening a drifted file with the production model raises the
 * drift alerts at once (stored, audited, printed), with no monitor run in between.
 */
const PRODUCTION_MODEL = resolve(import.meta.dirname, '../../models/production');
let dir: string;
let config: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alerts-after-batch-'));
  config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      paths: {
        dbPath: join(dir, 'db/glucoscreen.db'),
        outputDir: join(dir, 'out'),
        rejectedDir: join(dir, 'rejected'),
        modelDir: PRODUCTION_MODEL,
        auditKeyFile: join(dir, 'keys/audit.key'),
      },
      retry: { attempts: 1, initialDelayMs: 10, stableWindowMs: 0 },
      logLevel: 'warn',
    }),
  );
  const pima = await loadPimaTable();
  mkdirSync(join(dir, 'in'));
  writeSyntheticBatch(join(dir, 'in/normal.csv'), pima, { rows: 400, seed: 21, idPrefix: 'N' });
  writeSyntheticBatch(join(dir, 'in/drifted.csv'), pima, {
    rows: 400,
    seed: 22,
    idPrefix: 'D',
    shift: { Glucose: 30 },
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function screen(name: string): Promise<string[]> {
  const lines: string[] = [];
  const code = await screenMain(['--input', join(dir, 'in', name), '--config', config], (l) => lines.push(l));
  expect(code, lines.join('\n')).toBe(0);
  return lines;
}

describe('alerts after every batch', () => {
  test('a batch drawn like the training data raises no drift alert', async () => {
    const lines = await screen('normal.csv');
    expect(lines.filter((l) => l.includes('new alert'))).toEqual([]);
  });

  test('a batch with Glucose shifted raises the important-feature and output alerts itself, once', async () => {
    const lines = await screen('drifted.csv');
    const alertLines = lines.filter((l) => l.includes('new alert'));
    expect(alertLines.some((l) => l.includes('[important-feature-drift]') && l.includes('Glucose'))).toBe(true);
    expect(alertLines.some((l) => l.includes('[output-drift]'))).toBe(true);

    const store = openStore(join(dir, 'db/glucoscreen.db'));
    try {
      const open = store.alerts.listOpen();
      const batchId = store.batches.list({ limit: 1 })[0].id;
      const kinds = open.filter((a) => a.batchId === batchId).map((a) => a.kind);
      expect(kinds).toEqual(expect.arrayContaining(['important-feature-drift', 'output-drift']));
      // One audit event per alert raised, naming the kind, with no patient value.
      const raisedEvents = store.audit.list({ limit: 1000 }).filter((e) => e.action === 'alert.raised');
      expect(raisedEvents.length).toBe(open.length);
      expect(store.audit.verify().ok).toBe(true);
    } finally {
      store.close();
    }
    // Raising is idempotent: the next batch does not raise the same alerts again.
    writeSyntheticBatch(join(dir, 'in/normal2.csv'), await loadPimaTable(), { rows: 400, seed: 23, idPrefix: 'M' });
    const again = await screen('normal2.csv');
    expect(again.filter((l) => l.includes('new alert'))).toEqual([]);
  });
});
