import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { categorizeRisk } from '../model/risk-category';
import { FEATURE_COLUMNS, type FeatureName } from '../schema/columns';
import type { PatientTable } from '../table/patient-table';
import { completedSummary } from '../testing/batch-summary';
import { pimaPath } from '../testing/pima';
import { execRawSql, migrateDatabaseTo } from '../testing/store-fixtures';
import { seededRandom } from '../util/seeded-random';
import { canonicalJson, GENESIS_HASH, hashEvent } from './audit-chain';
import type { PredictionRecord } from './batch-repository';
import { MIGRATIONS } from './migrations';
import { openStore } from './sqlite-store';
import type { Store } from './store';

/**
 * Migration 2 on a clinic's database as migration 1 left it: real Pima rows (with missing inputs), three batches
 * (one above the 8192-row blob size, one with a gap in its row indexes), labels, a review and an audit chain,
 * written with raw SQL in the version-1 layout. After migrating, every reader must give back the same records.
 */

const OLD_INPUT_COLUMNS = [
  'pregnancies',
  'glucose',
  'blood_pressure',
  'skin_thickness',
  'insulin',
  'bmi',
  'diabetes_pedigree_function',
  'age',
];
const CUTS = { medium: 0.35, high: 0.6 };
const THRESHOLD = 0.3;

interface OldBatch {
  id: number;
  date: string;
  records: PredictionRecord[];
}

let dir: string;
let dbPath: string;
let pima: PatientTable;
let batches: OldBatch[];
let store: Store;

/** Rows of Pima (tiled), with a few inputs missing, as the old store kept them. */
function oldBatch(id: number, date: string, rowIndexes: number[], idPrefix: string): OldBatch {
  const random = seededRandom(id);
  const records = rowIndexes.map((rowIndex, k): PredictionRecord => {
    const source = k % pima.rowCount;
    const inputs: Record<string, number | null> = {};
    for (const f of FEATURE_COLUMNS) inputs[f] = pima.features[f][source];
    if (k % 97 === 3) inputs.Glucose = null;
    if (k % 131 === 7) inputs.BMI = null;
    const score = random();
    return {
      batchId: id,
      rowIndex,
      line: rowIndex + 2,
      patientId: `${idPrefix}${k}`,
      inputs,
      score,
      category: categorizeRisk(score, THRESHOLD, CUTS),
      recommendation: score >= THRESHOLD ? 1 : 0,
    };
  });
  return { id, date, records };
}

function writeOldBatch(b: OldBatch): void {
  const count = (c: string) => b.records.filter((r) => r.category === c).length;
  execRawSql(
    dbPath,
    `INSERT INTO batches (id, file_name, file_sha256, source, actor, status, model_version, threshold, risk_cuts,
       prediction_date, started_at, finished_at, rows_read, rows_valid, count_high, count_medium, count_low,
       count_recommended)
     VALUES (?, ?, ?, 'cli', 'clinic', 'completed', 'v1.0.0', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      b.id,
      `batch_${b.id}.csv`,
      String(b.id).repeat(64),
      THRESHOLD,
      JSON.stringify(CUTS),
      b.date,
      b.date,
      b.date,
      b.records.length,
      b.records.length,
      count('High'),
      count('Medium'),
      count('Low'),
      b.records.filter((r) => r.recommendation === 1).length,
    ],
  );
  const columns = ['batch_id', 'row_index', 'line', 'patient_id', ...OLD_INPUT_COLUMNS, 'score', 'category'];
  for (let s = 0; s < b.records.length; s += 1000) {
    const part = b.records.slice(s, s + 1000);
    const params = part.flatMap((r) => [
      r.batchId,
      r.rowIndex,
      r.line,
      r.patientId,
      ...FEATURE_COLUMNS.map((f) => r.inputs[f]),
      r.score,
      r.category,
      r.recommendation,
    ]);
    const row = `(${new Array(columns.length + 1).fill('?').join(',')})`;
    execRawSql(
      dbPath,
      `INSERT INTO predictions (${columns.join(',')}, recommendation) VALUES ${part.map(() => row).join(',')}`,
      params,
    );
  }
}

function writeOldAuditChain(): void {
  let prevHash = GENESIS_HASH;
  const events = [
    { action: 'batch.scored', subject: 'batch:1', details: { rows: 768 } },
    { action: 'labels.imported', subject: null, details: { matched: 2 } },
    { action: 'patient.opened', subject: 'A5', details: {} },
  ];
  events.forEach((e, i) => {
    const row = {
      seq: i + 1,
      at: `2026-03-0${i + 1}T08:00:00.000Z`,
      actor: 'clinic',
      action: e.action,
      subject: e.subject,
      details: canonicalJson(e.details),
      prevHash,
    };
    const hash = hashEvent(row);
    execRawSql(dbPath, 'INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      row.seq,
      row.at,
      row.actor,
      row.action,
      row.subject,
      row.details,
      row.prevHash,
      hash,
    ]);
    prevHash = hash;
  });
}

const recordOf = (batchId: number, rowIndex: number) => {
  const found = batches[batchId - 1].records.find((r) => r.rowIndex === rowIndex);
  if (!found) throw new Error(`no fixture row ${batchId}/${rowIndex}`);
  return found;
};

beforeAll(async () => {
  const read = await ingestCsvFile(pimaPath(), { mode: 'training' });
  if (!read.ok) throw new Error('cannot read the Pima file');
  pima = read.table;
  dir = mkdtempSync(join(tmpdir(), 'store-migration-'));
  dbPath = join(dir, 'clinic.db');
  migrateDatabaseTo(dbPath, 1);
  batches = [
    oldBatch(
      1,
      '2026-03-02T08:00:00.000Z',
      Array.from({ length: 768 }, (_, i) => i),
      'A',
    ),
    oldBatch(
      2,
      '2026-03-09T08:00:00.000Z',
      Array.from({ length: 9000 }, (_, i) => i),
      'B',
    ),
    oldBatch(3, '2026-03-16T08:00:00.000Z', [0, 1, 2, 5, 6], 'C'),
  ];
  for (const b of batches) writeOldBatch(b);
  execRawSql(
    dbPath,
    `INSERT INTO labels (patient_id, outcome, diagnosis_date, batch_id, row_index, imported_at, imported_by) VALUES
       ('A5', 1, '2026-04-01', 1, 5, '2026-04-02T00:00:00.000Z', 'admin'),
       ('B8500', 0, '2026-04-01', 2, 8500, '2026-04-02T00:00:00.000Z', 'admin'),
       ('Z1', 1, '2026-04-01', NULL, NULL, '2026-04-02T00:00:00.000Z', 'admin')`,
  );
  execRawSql(
    dbPath,
    "INSERT INTO reviews (batch_id, row_index, patient_id, reviewed_by, reviewed_at, note) VALUES (1, 5, 'A5', 'dr', 'x', 'called')",
  );
  writeOldAuditChain();
  store = openStore(dbPath, { auditTrailPath: null });
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('migration 2 (lean predictions, inputs as columnar blobs) on a version-1 database', () => {
  test('the database is at the latest version, and reopening applies nothing', () => {
    expect(store.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    store.close();
    store = openStore(dbPath, { auditTrailPath: null });
    expect(store.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
  });

  test('every prediction record reads back as before: ids, lines, inputs (missing stays null), scores, labels', () => {
    for (const b of batches) {
      const page = store.batches.predictions(b.id, { limit: 10_000 });
      expect(page.total).toBe(b.records.length);
      expect(page.rows).toEqual(b.records);
    }
    expect(recordOf(1, 3).inputs.Glucose).toBeNull(); // the fixture does hold missing inputs
    expect(store.batches.prediction(2, 8500)).toEqual(recordOf(2, 8500));
    expect(store.batches.prediction(3, 5)).toEqual(recordOf(3, 5));
    expect(store.batches.prediction(3, 3)).toBeNull();
  });

  test('iteratePredictions gives the stored inputs columnar and bit-exact, across blob and gap boundaries', () => {
    for (const b of batches) {
      const seen: PredictionRecord[] = [];
      for (const chunk of store.batches.iteratePredictions(b.id, 1000)) {
        for (let i = 0; i < chunk.table.rowCount; i++) {
          const inputs: Record<string, number | null> = {};
          for (const f of FEATURE_COLUMNS) {
            const v = chunk.table.features[f as FeatureName][i];
            inputs[f] = Number.isNaN(v) ? null : v;
          }
          seen.push({
            batchId: b.id,
            rowIndex: b.records[seen.length].rowIndex,
            line: chunk.table.lineNumbers[i],
            patientId: chunk.table.ids[i],
            inputs,
            score: chunk.scores[i],
            category: chunk.categories[i],
            recommendation: chunk.recommendations[i] as 0 | 1,
          });
        }
      }
      expect(seen).toEqual(b.records);
    }
  });

  test('filters, orders and search work on the migrated rows as before', () => {
    const big = batches[1].records;
    const high = big.filter((r) => r.category === 'High');
    expect(store.batches.predictions(2, { category: 'High' }).total).toBe(high.length);
    expect(store.batches.predictions(2, { recommendedOnly: true }).total).toBe(
      big.filter((r) => r.recommendation === 1).length,
    );
    const top = store.batches.predictions(2, { orderBy: 'category', descending: true, limit: 3 }).rows;
    const byScore = [...high].sort((a, b) => b.score - a.score);
    expect(top).toEqual(byScore.slice(0, 3));
    const lowest = store.batches.predictions(2, { orderBy: 'category', limit: 1 }).rows[0];
    expect(lowest).toEqual([...big].sort((a, b) => a.score - b.score)[0]);
    expect(store.batches.predictions(2, { search: 'B899' }).total).toBe(11);
    expect(store.batches.predictions(1, { orderBy: 'line', descending: true, limit: 1 }).rows[0].rowIndex).toBe(767);
  });

  test('labels stay matched (with the age from the stored inputs), the review survives, the chain verifies', () => {
    const matched = store.labels.listMatched();
    expect(matched.map((m) => [m.patientId, m.batchId, m.rowIndex, m.score, m.category, m.age])).toEqual([
      ['A5', 1, 5, recordOf(1, 5).score, recordOf(1, 5).category, pima.features.Age[5]],
      ['B8500', 2, 8500, recordOf(2, 8500).score, recordOf(2, 8500).category, pima.features.Age[8500 % 768]],
    ]);
    expect(store.reviews.forPrediction(1, 5).map((r) => r.note)).toEqual(['called']);
    expect(store.batches.latestPredictionFor('A5')).toMatchObject({ ...recordOf(1, 5), modelVersion: 'v1.0.0' });
    expect(store.batches.get(2)?.counts.High).toBe(batches[1].records.filter((r) => r.category === 'High').length);
    expect(store.audit.verify()).toEqual({ ok: true, checked: 3, problems: [] });
  });

  test('the migrated database takes new batches and links new audit events to the old chain', () => {
    const writer = store.batches.begin({
      fileName: 'new.csv',
      fileSha256: 'f'.repeat(64),
      source: 'test',
      actor: 'clinic',
      modelVersion: 'v1.0.0',
      threshold: THRESHOLD,
      riskCuts: CUTS,
      predictionDate: '2026-04-10T08:00:00.000Z',
    });
    const source = batches[0].records.slice(0, 10);
    const features = {} as Record<FeatureName, Float64Array>;
    for (const f of FEATURE_COLUMNS) features[f] = Float64Array.from(source, (r) => r.inputs[f] ?? Number.NaN);
    writer.addPredictions({
      table: {
        rowCount: 10,
        ids: source.map((r) => r.patientId),
        lineNumbers: Uint32Array.from(source, (r) => r.line),
        features,
        outcome: null,
      },
      scores: source.map((r) => r.score),
      categories: source.map((r) => r.category),
      recommendations: source.map((r) => r.recommendation),
    });
    const record = writer.commit(completedSummary(10));
    expect(store.batches.predictions(record.id).rows).toEqual(source.map((r) => ({ ...r, batchId: record.id })));
    expect(store.batches.latestPredictionFor('A5')?.batchId).toBe(record.id);
    expect(store.audit.verify()).toEqual({ ok: true, checked: 4, problems: [] });
  });
});
