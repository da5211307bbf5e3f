import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURE_COLUMNS } from '../schema/columns';
import { emptyFeatureColumns } from '../table/patient-table';
import type { RowSource, TrainingSet } from './training-set';

/**
 * The snapshot of an assembled training set: a CSV named by its sha256 (`datasets/<sha256>.csv`), with the model's
 * inputs, Outcome, the row's source and its screening day; no patient_id, since training needs none. The training
 * process reads exactly this file back, so what was recorded is what was trained on.
 */
export const SNAPSHOT_HEADER = ['source', 'screened_on', ...FEATURE_COLUMNS, 'Outcome'] as const;

/** The CSV text: numbers in JavaScript's shortest round-trip form (a missing input would be an empty cell, which readSnapshot refuses). */
export function snapshotCsv(set: TrainingSet): string {
  const lines: string[] = [SNAPSHOT_HEADER.join(',')];
  const outcome = set.table.outcome as Uint8Array;
  for (let r = 0; r < set.table.rowCount; r++) {
    const cells: string[] = [set.source[r], set.screenedOn[r] ?? ''];
    for (const name of FEATURE_COLUMNS) {
      const v = set.table.features[name][r];
      cells.push(Number.isNaN(v) ? '' : String(v));
    }
    cells.push(String(outcome[r]));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function sha256Of(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Writes the snapshot into `<dataDir>/datasets/<sha256>.csv` (folder 0700, file 0600) through a temporary file and
 * a rename, so a crash never leaves a partial file under a valid name. An existing file with that name already has
 * this content (its name is its hash) and is kept.
 */
export function writeSnapshot(
  datasetsDir: string,
  set: TrainingSet,
): { sha256: string; path: string; fileName: string } {
  const text = snapshotCsv(set);
  const sha256 = sha256Of(text);
  const fileName = `${sha256}.csv`;
  const path = join(datasetsDir, fileName);
  mkdirSync(datasetsDir, { recursive: true, mode: 0o700 });
  if (!existsSync(path)) {
    const temp = join(datasetsDir, `.${fileName}.${process.pid}.tmp`);
    try {
      writeFileSync(temp, text, { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, path);
    } finally {
      rmSync(temp, { force: true });
    }
  }
  return { sha256, path, fileName };
}

export class SnapshotError extends Error {}

/**
 * Reads a snapshot back, checking its sha256 when one is expected. Any deviation from the format names the file,
 * line and column: the file is either exactly what was written or not used.
 */
export function readSnapshot(path: string, expectedSha256?: string): { set: TrainingSet; sha256: string } {
  const bytes = readFileSync(path);
  const sha256 = sha256Of(bytes);
  if (expectedSha256 !== undefined && sha256 !== expectedSha256) {
    throw new SnapshotError(`${path}: sha256 is ${sha256}, but the dataset version recorded ${expectedSha256}`);
  }
  const lines = bytes.toString('utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines[0] !== SNAPSHOT_HEADER.join(',')) {
    throw new SnapshotError(`${path}: line 1: the header must be ${SNAPSHOT_HEADER.join(',')}`);
  }
  const n = lines.length - 1;
  const features = emptyFeatureColumns(n);
  const outcome = new Uint8Array(n);
  const source: RowSource[] = new Array(n);
  const screenedOn: (string | null)[] = new Array(n);
  const ids: string[] = new Array(n);
  const lineNumbers = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const line = r + 2;
    const where = (column: string) => `${path}: line ${line}, column ${column}`;
    const cells = lines[r + 1].split(',');
    if (cells.length !== SNAPSHOT_HEADER.length) {
      throw new SnapshotError(`${path}: line ${line}: ${cells.length} cells, expected ${SNAPSHOT_HEADER.length}`);
    }
    if (cells[0] !== 'training' && cells[0] !== 'production') {
      throw new SnapshotError(`${where('source')}: must be training or production, got "${cells[0]}"`);
    }
    source[r] = cells[0];
    const day = cells[1];
    if (cells[0] === 'production' ? !/^\d{4}-\d{2}-\d{2}$/.test(day) : day !== '') {
      throw new SnapshotError(`${where('screened_on')}: a production row needs YYYY-MM-DD, a training row none`);
    }
    screenedOn[r] = day === '' ? null : day;
    FEATURE_COLUMNS.forEach((name, c) => {
      const cell = cells[c + 2];
      // Stored inputs passed the batch rules, which require every value: an empty cell cannot be trained on.
      if (cell === '') throw new SnapshotError(`${where(name)}: a value is required`);
      const v = Number(cell);
      if (!Number.isFinite(v)) throw new SnapshotError(`${where(name)}: not a number: "${cell}"`);
      features[name][r] = v;
    });
    const o = cells[cells.length - 1];
    if (o !== '0' && o !== '1') throw new SnapshotError(`${where('Outcome')}: must be 0 or 1, got "${o}"`);
    outcome[r] = Number(o);
    ids[r] = `row-${line}`;
    lineNumbers[r] = line;
  }
  return { set: { table: { rowCount: n, ids, lineNumbers, features, outcome }, source, screenedOn }, sha256 };
}
