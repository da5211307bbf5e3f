/**
 * One scoring request run as a batch: the patients are written to a private temporary CSV (in tmp/api/ beside the
 * database, never the system's temporary folder: it holds patient rows) and screened by
 * core/screening's screenFile, the same ingest rules, model, store, drift check and audit as `npm run screen`.
 * The predictions are read back from the batch's own output file, so the API returns what the batch stored.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RiskCategory } from '../api/outputs';
import { withTempFile } from '../app/temp-upload';
import type { AppConfig } from '../config/app-config';
import { FEATURE_COLUMNS, ID_COLUMN, ZERO_IMPUTE_COLUMNS } from '../schema/columns';
import { RULE_DESCRIPTIONS } from '../schema/rules';
import type { LoadedScreeningModel } from '../screening/load-model';
import { OUTPUT_HEADER } from '../screening/output-csv';
import type { BatchObserver } from '../screening/screen-file';
import { screenFile } from '../screening/screen-file';
import { openStore } from '../store/sqlite-store';
import type { Store } from '../store/store';
import type { ScorePatient } from './scoring-api-schema';

export interface ApiPrediction {
  patient_id: string;
  screening_recommendation: 0 | 1;
  diabetes_risk_score: number;
  risk_category: RiskCategory;
  model_version: string;
  prediction_date: string;
}

export interface RejectedPatient {
  index: number;
  patient_id: string | null;
  field: string;
  rule: string;
  message: string;
}

export type ScoringRun =
  | {
      ok: true;
      batchId: number;
      predictions: ApiPrediction[];
      /** The batch output file's bytes (header included), exactly as `npm run screen` writes them. */
      csv: Buffer;
      rejected: RejectedPatient[];
    }
  | { ok: false; reason: 'rejected' | 'held'; message: string; batchId: number; rejected: RejectedPatient[] };

export interface ScoringDeps {
  store: Store;
  config: AppConfig;
  model: LoadedScreeningModel;
  observer?: () => BatchObserver | undefined;
}

/** A CSV cell for a patient_id: quoted when it holds a comma or quote (control characters are refused before). */
function idCell(id: string): string {
  return /[",]/.test(id) || id !== id.trim() ? `"${id.replaceAll('"', '""')}"` : id;
}

function toCsv(patients: readonly ScorePatient[]): string {
  const lines = [[ID_COLUMN, ...FEATURE_COLUMNS].join(',')];
  for (const p of patients) {
    // null is an empty cell: the batch rule `missing` rejects it, as in a file.
    const cells = FEATURE_COLUMNS.map((c) => (p[c] === null ? '' : String(p[c])));
    lines.push(`${idCell(String(p.patient_id))},${cells.join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The zero-read-as-missing fields a patient had (the model imputed them). */
export function imputedFields(p: ScorePatient): string[] {
  return ZERO_IMPUTE_COLUMNS.filter((c) => p[c] === 0);
}

/**
 * Runs the whole request path (`scoreBody`: the request's parse and schema, the batch, the audit, every answer
 * format) on made-up patients into a throwaway in-memory store and folder, so that the first real request does not
 * pay for compiling its code; nothing reaches the clinic's database or audit trail. Full-size requests (up to
 * api.maxPatients): code first run on a small batch is not yet optimised for a large one.
 */
export async function warmUp(
  deps: ScoringDeps,
  scoreBody: (deps: ScoringDeps, body: string) => Promise<unknown>,
  rounds: number,
  rows = 10_000,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'glucoscreen-api-warm-'));
  const store = openStore(':memory:', { auditKeyring: null });
  try {
    const patients = Array.from({ length: Math.min(rows, deps.config.api.maxPatients) }, (_, i) => ({
      patient_id: `warm-${i}`,
      Pregnancies: i % 10,
      Glucose: 80 + (i % 110),
      BloodPressure: 55 + (i % 40),
      SkinThickness: 15 + (i % 30),
      Insulin: i % 250,
      BMI: 20 + (i % 200) / 10,
      DiabetesPedigreeFunction: 0.1 + (i % 150) / 100,
      Age: 21 + (i % 55),
    }));
    const body = JSON.stringify({ patients });
    const paths = { ...deps.config.paths, outputDir: join(dir, 'out'), rejectedDir: join(dir, 'rejected') };
    for (let round = 0; round < rounds; round++) {
      await scoreBody({ ...deps, store, config: { ...deps.config, paths } }, body);
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where a request's patients are written for its batch: tmp/api/ beside the database, private as the app's uploads. */
export function scoringTempDir(config: AppConfig): string {
  return join(dirname(config.paths.dbPath), 'tmp', 'api');
}

export async function runScoring(deps: ScoringDeps, patients: readonly ScorePatient[], actor: string) {
  const { config } = deps;
  const fileName = `api_${new Date().toISOString().replace(/[:.]/g, '-')}_${randomBytes(3).toString('hex')}.csv`;
  return withTempFile(scoringTempDir(config), fileName, toCsv(patients), async (input) => {
    const outcome = await screenFile({
      inputPath: input,
      outputDir: config.paths.outputDir,
      rejectedDir: config.paths.rejectedDir,
      store: deps.store,
      model: deps.model,
      actor,
      source: 'api',
      // The file was written and closed above: there is nothing to wait for.
      retry: { ...config.retry, attempts: 0, stableWindowMs: 0 },
      borderlineBand: config.risk.borderlineBand,
      ingest: { units: config.units, maxLineLength: config.ingest.maxLineLength },
      // The same patients sent twice are two requests, each scored (as a quick score is).
      force: true,
      observer: deps.observer?.(),
    });
    return readOutcome(outcome, patients);
  });
}

function rejectedOf(
  errors: readonly { line: number; patientId: string | null; column: string; rule: string }[],
  patients: readonly ScorePatient[],
): RejectedPatient[] {
  return errors.map((e) => ({
    // Line 1 is the header; one patient per line (ids with line breaks are refused by the request schema).
    index: e.line - 2,
    patient_id: e.line >= 2 && e.line - 2 < patients.length ? String(patients[e.line - 2].patient_id) : e.patientId,
    field: e.column,
    rule: e.rule,
    message: RULE_DESCRIPTIONS[e.rule as keyof typeof RULE_DESCRIPTIONS] ?? e.rule,
  }));
}

function readOutcome(outcome: Awaited<ReturnType<typeof screenFile>>, patients: readonly ScorePatient[]): ScoringRun {
  switch (outcome.kind) {
    case 'completed': {
      const csv = readFileSync(outcome.outputPath);
      const rejected = rejectedOf(outcome.report.errors, patients);
      const rejectedIndexes = new Set(rejected.map((r) => r.index));
      const ids = patients.map((p, i) => (rejectedIndexes.has(i) ? null : String(p.patient_id)));
      const predictions = parseOutput(
        csv.toString('utf8'),
        ids.filter((id): id is string => id !== null),
      );
      return { ok: true, batchId: outcome.batch.id, predictions, csv, rejected };
    }
    case 'rejected':
      return {
        ok: false,
        reason: 'rejected',
        message: 'No patient could be scored.',
        batchId: outcome.batch.id,
        rejected: rejectedOf(outcome.report.errors, patients),
      };
    case 'held':
      return {
        ok: false,
        reason: 'held',
        message: `Held, not scored: ${outcome.hold.message}.`,
        batchId: outcome.batch.id,
        rejected: [],
      };
    case 'duplicate':
    case 'not-ready':
      throw new Error(`unexpected screening outcome ${outcome.kind}`);
  }
}

/**
 * The output lines, in input order, with the request's own ids: the id cell of the file may carry a spreadsheet
 * guard, so only the five columns after it are read (from the right, as none of them holds a comma).
 */
function parseOutput(text: string, ids: readonly string[]): ApiPrediction[] {
  const lines = text.split('\n');
  if (lines[0] !== OUTPUT_HEADER) throw new Error('the batch output has an unexpected header');
  const rows = lines.slice(1).filter((l) => l !== '');
  if (rows.length !== ids.length) {
    throw new Error(`the batch output has ${rows.length} rows for ${ids.length} valid patients`);
  }
  return rows.map((line, i) => {
    const cells = line.split(',');
    const [rec, score, category, version, date] = cells.slice(-5);
    return {
      patient_id: ids[i],
      screening_recommendation: rec === '1' ? 1 : 0,
      diabetes_risk_score: Number(score),
      risk_category: category as RiskCategory,
      model_version: version,
      prediction_date: date,
    };
  });
}
