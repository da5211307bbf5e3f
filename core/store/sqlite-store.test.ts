import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RiskCategory } from '../api/outputs';
import { FEATURE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns, type PatientTable } from '../table/patient-table';
import { execRawSql } from '../testing/store-fixtures';
import { hashEvent } from './audit-chain';
import type { BatchCommitSummary, BatchMeta, PredictionChunk } from './batch-repository';
import { MIGRATIONS } from './migrations';
import { openStore } from './sqlite-store';
import type { Store } from './store';

let dir: string;
let dbPath: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-test-'));
  dbPath = join(dir, 'glucoscreen.db');
  store = openStore(dbPath);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function chunk(start: number, n: number): PredictionChunk {
  const features = emptyFeatureColumns(n);
  const ids: string[] = [];
  const lineNumbers = new Uint32Array(n);
  const scores = new Float64Array(n);
  const categories: RiskCategory[] = [];
  const recommendations = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = start + i;
    ids.push(`P${r}`);
    lineNumbers[i] = r + 2;
    FEATURE_COLUMNS.forEach((f, k) => {
      features[f][i] = r * 10 + k;
    });
    scores[i] = (r % 100) / 100;
    categories.push(scores[i] >= 0.6 ? 'High' : scores[i] >= 0.3 ? 'Medium' : 'Low');
    recommendations[i] = scores[i] >= 0.3 ? 1 : 0;
  }
  const table: PatientTable = { rowCount: n, ids, lineNumbers, features, outcome: null };
  return { table, scores, categories, recommendations };
}

const meta: BatchMeta = {
  fileName: 'batch_1.csv',
  fileSha256: 'a'.repeat(64),
  source: 'test',
  actor: 'tester',
  modelVersion: 'v1.0.0',
  threshold: 0.3,
  riskCuts: { medium: 0.3, high: 0.6 },
  predictionDate: '2026-11-08T19:06:49.819Z',
};
const summary: BatchCommitSummary = {
  status: 'completed',
  rowsRead: 0,
  rowsRejected: 1,
  rowsWithWarnings: 0,
  rejectedByRule: { negative: 1 },
  warningsByRule: {},
  retryAttempts: 0,
  durationMs: 1000,
  peakRssBytes: 1,
  cpuUserMs: 2,
  cpuSystemMs: 3,
  outputPath: null,
  outputSha256: null,
  errors: [],
};

describe('migrations', () => {
  test('a new database is at the latest version and reopening applies nothing twice', () => {
    expect(store.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    store.close();
    store = openStore(dbPath);
    expect(store.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
  });

  test('a database from a newer app is refused with a message naming both versions', () => {
    store.close();
    execRawSql(dbPath, "INSERT INTO schema_version VALUES (999, 'future', 'x')");
    const latest = MIGRATIONS[MIGRATIONS.length - 1].version;
    expect(() => openStore(dbPath)).toThrow(`version 999, newer than this app supports (${latest})`);
    store = openStore(':memory:');
  });
});

describe('experiments', () => {
  test('runs, tags, stepped metrics, trials and artefacts round-trip', () => {
    const id = store.experiments.startRun({
      name: 'tune',
      kind: 'cv',
      params: { trials: 3 },
      tags: { seed: '42' },
      dataSha256: 'd'.repeat(64),
    });
    store.experiments.logMetric(id, 'f2', 0.7, 0);
    store.experiments.logMetric(id, 'f2', 0.8, 1);
    store.experiments.recordTrial(id, { number: 0, params: { lr: 0.1 }, value: 0.8, state: 'complete', metrics: {} });
    store.experiments.recordTrial(id, {
      number: 1,
      params: { lr: 0.5 },
      value: null,
      state: 'infeasible',
      metrics: {},
    });
    store.experiments.finishRun(id, { status: 'finished', artifactPaths: ['models/x'], metrics: { f2: 0.8 } });
    const [run] = store.experiments.listRuns();
    expect(run).toMatchObject({
      id,
      kind: 'cv',
      status: 'finished',
      params: { trials: 3 },
      tags: { seed: '42' },
      artifactPaths: ['models/x'],
      metrics: { f2: 0.8 },
    });
    expect(store.experiments.listMetrics(id, 'f2').map((m) => [m.step, m.value])).toEqual([
      [0, 0.7],
      [1, 0.8],
    ]);
    expect(store.experiments.listTrials(id).map((t) => [t.number, t.state, t.value])).toEqual([
      [0, 'complete', 0.8],
      [1, 'infeasible', null],
    ]);
  });

  test('logging to a run that does not exist is an error naming the run', () => {
    expect(() => store.experiments.logMetric(77, 'x', 1)).toThrow(/run 77 does not exist/);
  });
});

describe('audit chain', () => {
  function fiveEvents() {
    for (let i = 1; i <= 5; i++) store.audit.append({ actor: 'admin', action: `act.${i}`, details: { i } });
  }

  test('an untouched chain verifies, and each event links to the one before', () => {
    fiveEvents();
    const events = store.audit.list();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    for (let i = 1; i < events.length; i++) expect(events[i].prevHash).toBe(events[i - 1].hash);
    expect(store.audit.verify()).toEqual({ ok: true, checked: 5, problems: [] });
  });

  test('the JSONL trail holds one line per event with the same hashes', () => {
    fiveEvents();
    const lines = readFileSync(store.audit.trailPath as string, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.seq, l.hash])).toEqual(store.audit.list().map((e) => [e.seq, e.hash]));
  });

  test('an edited row is found and named', () => {
    fiveEvents();
    execRawSql(dbPath, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 3");
    const result = store.audit.verify();
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.seq, p.kind])).toContainEqual([3, 'edited']);
  });

  test('a deleted row in the middle is found', () => {
    fiveEvents();
    execRawSql(dbPath, 'DELETE FROM audit_events WHERE seq = 2');
    const problems = store.audit.verify().problems.map((p) => [p.seq, p.kind]);
    expect(problems).toContainEqual([3, 'deleted']);
    expect(problems).toContainEqual([2, 'deleted']);
  });

  test('a deleted last row is found through the JSONL trail', () => {
    fiveEvents();
    execRawSql(dbPath, 'DELETE FROM audit_events WHERE seq = 5');
    expect(store.audit.verify().problems).toEqual([
      { seq: 5, kind: 'deleted', message: 'event seq 5 is in the JSONL audit trail but missing from the database' },
    ]);
  });

  test('an inserted row is found even when its own hash is forged correctly', () => {
    fiveEvents();
    // Renumber 4..5 up by one and forge seq 4 with a valid hash that links to seq 3.
    execRawSql(dbPath, 'UPDATE audit_events SET seq = seq + 10 WHERE seq >= 4');
    execRawSql(dbPath, 'UPDATE audit_events SET seq = seq - 9 WHERE seq >= 14');
    const three = store.audit.list().find((e) => e.seq === 3);
    if (!three) throw new Error('seq 3 missing');
    const forged = {
      seq: 4,
      at: three.at,
      actor: 'mallory',
      action: 'x',
      subject: null,
      details: '{}',
      prevHash: three.hash,
    };
    execRawSql(dbPath, 'INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      forged.seq,
      forged.at,
      forged.actor,
      forged.action,
      forged.subject,
      forged.details,
      forged.prevHash,
      hashEvent(forged),
    ]);
    const problems = store.audit.verify().problems.map((p) => [p.seq, p.kind]);
    expect(problems).toContainEqual([4, 'inserted']);
  });

  test('a deleted JSONL trail is reported', () => {
    fiveEvents();
    rmSync(store.audit.trailPath as string);
    expect(store.audit.verify().problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/audit trail .* is missing, though the database holds 5 events/),
    ]);
  });

  test('a torn trail line is reported', () => {
    fiveEvents();
    writeFileSync(store.audit.trailPath as string, `${readFileSync(store.audit.trailPath as string, 'utf8')}{"type":`);
    expect(store.audit.verify().problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/line 6 of the JSONL audit trail .* is not valid JSON/),
    );
  });
});

describe('batches', () => {
  test('a committed batch stores every prediction, the counts it saw, and one audit event', () => {
    const writer = store.batches.begin(meta);
    writer.addPredictions(chunk(0, 100));
    writer.addPredictions(chunk(100, 37));
    writer.addRejected([
      { line: 5, patientId: 'X1', rule: 'negative', column: 'Glucose', value: '-1', message: 'no', severity: 'error' },
    ]);
    // Warnings in bulk (several 64-row statements and a tail), then one more call: all kept, in order.
    const warnings = Array.from({ length: 150 }, (_, i) => ({
      line: 200 + i,
      patientId: i % 7 === 0 ? null : `W${i}`,
      rule: 'z_score' as const,
      column: 'Insulin',
      value: String(500 + i),
      message: `Insulin: far from the mean (${i})`,
      severity: 'warning' as const,
    }));
    writer.addRejected(warnings.slice(0, 140));
    writer.addRejected(warnings.slice(140));
    const record = writer.commit({ ...summary, rowsRead: 138 });
    const expected = chunk(0, 137);
    const countOf = (c: RiskCategory) => expected.categories.filter((x) => x === c).length;
    expect(record).toMatchObject({
      status: 'completed',
      rowsRead: 138,
      rowsValid: 137,
      rowsRejected: 1,
      counts: { High: countOf('High'), Medium: countOf('Medium'), Low: countOf('Low') },
      recommended: Array.from(expected.recommendations).filter((x) => x === 1).length,
      rowsPerSecond: 138,
      rejectedByRule: { negative: 1 },
    });
    const page = store.batches.predictions(record.id, { orderBy: 'row', limit: 1000 });
    expect(page.total).toBe(137);
    expect(page.rows[136]).toMatchObject({ rowIndex: 136, patientId: 'P136', line: 138, score: 0.36 });
    expect(page.rows[136].inputs.Age).toBe(1367);
    const issues = store.batches.issues(record.id);
    expect(issues).toHaveLength(151);
    expect(issues.slice(1)).toEqual(warnings);
    expect(store.batches.issues(record.id, { severity: 'error' })).toHaveLength(1);
    expect(store.audit.list({ action: 'batch.scored' })).toHaveLength(1);
    expect(store.audit.verify().ok).toBe(true);
    const trail = readFileSync(store.audit.trailPath as string, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(trail.map((l) => l.type)).toEqual(['batch', 'event']);
    expect(JSON.stringify(trail)).not.toContain('1367');
  });

  test('a rolled-back batch leaves nothing: no batch, predictions, issues or audit event', () => {
    const writer = store.batches.begin(meta);
    writer.addPredictions(chunk(0, 500));
    writer.addRejected([
      { line: 5, patientId: 'X1', rule: 'negative', column: 'Glucose', value: '-1', message: 'no', severity: 'error' },
    ]);
    writer.rollback();
    expect(store.batches.list()).toEqual([]);
    expect(store.audit.count()).toBe(0);
    expect(store.batches.predictions(1).total).toBe(0);
  });

  test('a batch that is never committed (process dies) is gone after reopening', () => {
    const writer = store.batches.begin(meta);
    writer.addPredictions(chunk(0, 500));
    store.close(); // closing with an open batch is what a dying process amounts to
    store = openStore(dbPath);
    expect(store.batches.list()).toEqual([]);
  });

  test('the same file sha256 is found, and a second batch cannot start while one is open', () => {
    const writer = store.batches.begin(meta);
    expect(() => store.batches.begin(meta)).toThrow(/still being written/);
    writer.commit(summary);
    expect(store.batches.findBySha256(meta.fileSha256)).toHaveLength(1);
    expect(store.batches.findBySha256('b'.repeat(64))).toHaveLength(0);
  });

  test('stored inputs come back columnar in row order, in chunks', () => {
    const writer = store.batches.begin(meta);
    writer.addPredictions(chunk(0, 250));
    const { id } = writer.commit(summary);
    const chunks = [...store.batches.iteratePredictions(id, 100)];
    expect(chunks.map((c) => c.table.rowCount)).toEqual([100, 100, 50]);
    expect(chunks[2].table.ids[49]).toBe('P249');
    expect(chunks[2].table.features.Glucose[49]).toBe(2491);
    expect(chunks[2].scores[49]).toBe(0.49);
  });

  test('inputs round-trip exactly through chunks larger than one blob, missing ones as NaN / null', () => {
    const big = chunk(0, 20_000);
    big.table.features.BMI[5] = 33.7;
    big.table.features.DiabetesPedigreeFunction[9000] = 0.1 + 0.2;
    big.table.features.Glucose[8191] = Number.NaN;
    big.table.features.Insulin[8192] = Number.NaN;
    const writer = store.batches.begin(meta);
    writer.addPredictions(big);
    writer.addPredictions(chunk(20_000, 7));
    const { id } = writer.commit(summary);
    const chunks = [...store.batches.iteratePredictions(id, 3001)];
    expect(chunks.map((c) => c.rowIndexStart)).toEqual(Array.from({ length: 7 }, (_, i) => i * 3001));
    for (const f of FEATURE_COLUMNS) {
      const stored = new Float64Array(20_007);
      let at = 0;
      for (const c of chunks) {
        stored.set(c.table.features[f], at);
        at += c.table.rowCount;
      }
      const expected = new Float64Array(20_007);
      expected.set(big.table.features[f]);
      expected.set(chunk(20_000, 7).table.features[f], 20_000);
      expect(new BigUint64Array(stored.buffer)).toEqual(new BigUint64Array(expected.buffer));
    }
    expect(store.batches.prediction(id, 8191)?.inputs).toMatchObject({ Glucose: null, Insulin: 81_914 });
    expect(store.batches.prediction(id, 8192)?.inputs).toMatchObject({ Glucose: 81_921, Insulin: null });
    expect(store.batches.prediction(id, 9000)?.inputs.DiabetesPedigreeFunction).toBe(0.1 + 0.2);
    expect(store.batches.predictions(id, { offset: 5, limit: 1 }).rows[0].inputs.BMI).toBe(33.7);
    expect(store.batches.prediction(id, 20_006)?.inputs.Age).toBe(200_067);
  });

  test('a prediction whose stored inputs are gone is an error that names it, never a row without inputs', () => {
    const writer = store.batches.begin(meta);
    writer.addPredictions(chunk(0, 10));
    const { id } = writer.commit(summary);
    execRawSql(dbPath, 'DELETE FROM prediction_inputs WHERE batch_id = ?', [id]);
    expect(() => store.batches.prediction(id, 3)).toThrow(`the stored inputs of batch ${id} row 3 are missing`);
    expect(() => [...store.batches.iteratePredictions(id)]).toThrow(/row 0 are missing/);
  });

  test('an unknown risk category is refused, and the batch it was meant for cannot be committed', () => {
    const bad = chunk(0, 5);
    (bad.categories as RiskCategory[])[2] = 'Severe' as RiskCategory;
    const writer = store.batches.begin(meta);
    writer.addPredictions(chunk(0, 100));
    expect(() => writer.addPredictions(bad)).toThrow('unknown risk category "Severe"');
    // Part of that chunk may be in: committing is refused and rolls the whole batch back.
    expect(() => writer.commit(summary)).toThrow(/batch 1 was rolled back: storing its predictions failed/);
    expect(store.batches.list()).toEqual([]);
    expect(store.batches.predictions(1).total).toBe(0);
    expect(store.batches.begin(meta).batchId).toBe(1);
  });

  test('a new database uses 16 KiB pages', () => {
    store.close();
    const header = readFileSync(dbPath).subarray(0, 100);
    expect(header.readUInt16BE(16)).toBe(16_384);
    store = openStore(dbPath);
  });

  test('pages filter by category, recommendation and id search, and sort High first', () => {
    const writer = store.batches.begin(meta);
    writer.addPredictions(chunk(0, 200));
    const { id } = writer.commit(summary);
    const high = store.batches.predictions(id, { category: 'High', limit: 500 });
    expect(high.total).toBe(80);
    const byCategory = store.batches.predictions(id, { orderBy: 'category', descending: true, limit: 1 });
    expect(byCategory.rows[0]).toMatchObject({ category: 'High', score: 0.99 });
    expect(store.batches.predictions(id, { search: 'P19' }).total).toBe(11);
    expect(store.batches.predictions(id, { recommendedOnly: true }).total).toBe(140);
  });

  test('the latest prediction of a patient respects the date bound', () => {
    for (const date of ['2026-01-05T10:00:00.000Z', '2026-02-05T10:00:00.000Z']) {
      const w = store.batches.begin({ ...meta, predictionDate: date });
      w.addPredictions(chunk(0, 3));
      w.commit(summary);
    }
    expect(store.batches.latestPredictionFor('P1')?.batchId).toBe(2);
    expect(store.batches.latestPredictionFor('P1', '2026-01-31')?.batchId).toBe(1);
    expect(store.batches.latestPredictionFor('P1', '2026-02-05')?.batchId).toBe(2);
    expect(store.batches.latestPredictionFor('P1', '2025-12-31')).toBeNull();
  });
});

describe('monitoring tables', () => {
  test('labels are idempotent and conflicts are reported, not stored', () => {
    const w = store.batches.begin(meta);
    w.addPredictions(chunk(0, 3));
    w.commit(summary);
    const input = [
      { patientId: 'P1', outcome: 1 as const, diagnosisDate: '2026-12-01', batchId: 1, rowIndex: 1 },
      { patientId: 'P9', outcome: 0 as const, diagnosisDate: null, batchId: null, rowIndex: null },
    ];
    const by = { sourceFile: 'labels.csv', sourceSha256: null, importedBy: 'admin' };
    expect(store.labels.add(input, by)).toEqual({ inserted: 2, unchanged: 0, conflicts: [] });
    expect(store.labels.add(input, by)).toEqual({ inserted: 0, unchanged: 2, conflicts: [] });
    const flipped = store.labels.add([{ ...input[0], outcome: 0 }], by);
    expect(flipped.conflicts).toEqual([
      { patientId: 'P1', diagnosisDate: '2026-12-01', storedOutcome: 1, newOutcome: 0 },
    ]);
    expect(store.labels.count()).toBe(2);
    expect(store.labels.listMatched()).toMatchObject([{ patientId: 'P1', outcome: 1, score: 0.01, age: 17 }]);
  });

  test('alerts are stored once per identity and acknowledged once', () => {
    const a = store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    const b = store.alerts.raise({ kind: 'recall', week: '2026-W47', modelVersion: 'v1.0.0', message: 'low' });
    expect([a.created, b.created]).toEqual([true, false]);
    expect(store.alerts.acknowledge(a.alert.id, 'admin')).toBe(true);
    expect(store.alerts.acknowledge(a.alert.id, 'admin')).toBe(false);
    expect(store.alerts.list({ unacknowledgedOnly: true })).toEqual([]);
  });

  test('drift results attach to their batch', () => {
    const w = store.batches.begin(meta);
    const { id } = w.commit(summary);
    store.drift.save(id, { datasetDrift: true, driftedCount: 4 }, { features: [] });
    expect(store.batches.get(id)?.datasetDrift).toBe(true);
    expect(store.drift.get(id)).toMatchObject({ driftedCount: 4, report: { features: [] } });
  });

  test('users are unique case-insensitively and reviews name the patient', () => {
    const hash = { n: 16384, r: 8, p: 1, keyLength: 64, salt: 'ab', hash: 'cd' };
    store.users.create({ username: 'Admin', role: 'admin', password: hash, createdBy: 'first-run' });
    expect(() => store.users.create({ username: 'admin', role: 'clinician', password: hash, createdBy: 'x' })).toThrow(
      /username "admin" is taken/,
    );
    expect(store.users.passwordOf('ADMIN')).toEqual(hash);
    const w = store.batches.begin(meta);
    w.addPredictions(chunk(0, 3));
    const { id } = w.commit(summary);
    expect(store.reviews.add({ batchId: id, rowIndex: 2, reviewedBy: 'Admin', note: 'called' })).toMatchObject({
      patientId: 'P2',
    });
    expect(() => store.reviews.add({ batchId: id, rowIndex: 9, reviewedBy: 'Admin', note: '' })).toThrow(/no row 9/);
  });
});
