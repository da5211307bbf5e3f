import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FEATURE_COLUMNS } from '../schema/columns';
import { openStore } from '../store/sqlite-store';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { loadPimaColumns } from '../testing/pima';

/** Declared units, held files, warning-heavy batches and the line-length setting, through the screen CLI process. */
const ROOT = resolve(import.meta.dirname, '../..');
const workspaces = cliWorkspaces('cli-units-test-', 'info');

function screen(args: string[]) {
  const r = spawnSync('npx', ['tsx', 'core/cli/screen.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const pima = loadPimaColumns();
const mmol = (mg: number) => (mg / 18.016).toFixed(1);

/** The first `rows` Pima rows as a batch; Glucose written by `glucose`, under the header name `glucoseHeader`. */
function writeBatch(path: string, rows: number, glucose: (mg: number) => string, glucoseHeader = 'Glucose') {
  const lines = [['patient_id', ...FEATURE_COLUMNS.map((c) => (c === 'Glucose' ? glucoseHeader : c))].join(',')];
  for (let r = 0; r < rows; r++) {
    const cells = FEATURE_COLUMNS.map((c) => (c === 'Glucose' ? glucose(pima.raw.Glucose[r]) : String(pima.raw[c][r])));
    lines.push([`P${r + 1}`, ...cells].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('screen CLI: units and file-level holds', () => {
  test('Glucose in mmol/L without a declared unit: exit 1, one line, nothing scored, the batch held and audited', () => {
    const w = workspaces.workspace('held');
    const input = join(w.ws, 'batch_mmol.csv');
    writeBatch(input, 200, mmol);
    const r = screen(['--input', input, '--config', w.config]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: batch 1: batch_mmol.csv held, not scored: Glucose looks like mmol/L: declare the unit (Glucose (mmol/L)) or convert\n',
    );
    expect(existsSync(w.out) ? readdirSync(w.out).filter((f) => f.endsWith('.csv')) : []).toEqual([]);
    const store = openStore(w.db);
    try {
      const batch = store.batches.get(1);
      expect(batch?.status).toBe('held');
      expect(store.batches.predictions(1).total).toBe(0);
      const event = store.audit.list({ action: 'batch.held' })[0];
      expect(event.details).toMatchObject({ hold: 'looks_like_mmol_per_l', column: 'Glucose', rowsRead: 200 });
      expect(JSON.stringify(event.details)).not.toMatch(/8\.2|4\.7/);
    } finally {
      store.close();
    }
  });

  test('the same values with Glucose (mmol/L) in the header score, and the summary names the unit', () => {
    const w = workspaces.workspace('declared');
    const input = join(w.ws, 'batch_declared.csv');
    writeBatch(input, 200, mmol, 'Glucose (mmol/L)');
    const r = screen(['--input', input, '--config', w.config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/batch 1: batch_declared\.csv \(completed\)/);
    expect(r.stdout).toContain('  units: Glucose in mmol/L (converted to mg/dL x 18.016, declared in the header)');
    expect(r.stdout).toMatch(/recommended for screening [1-9]\d*/);
  });

  test('units declared in the config; a small undeclared file is scored but reported as needing a check', () => {
    const w = workspaces.workspace('config-units', { units: { Glucose: 'mmol/L' } });
    const input = join(w.ws, 'batch_config.csv');
    writeBatch(input, 50, mmol);
    const r = screen(['--input', input, '--config', w.config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  units: Glucose in mmol/L (converted to mg/dL x 18.016, declared in the config)');

    const plain = workspaces.workspace('small');
    const small = join(plain.ws, 'batch_small.csv');
    writeBatch(small, 6, mmol);
    const s = screen(['--input', small, '--config', plain.config]);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(
      /batch 1: batch_small\.csv \(completed with warnings on most rows: check the file\)\n {2}rows read 6, scored 6, rejected 0, with warnings 6/,
    );
  });

  test('an unknown unit is a rejected file naming the column and the units accepted', () => {
    const w = workspaces.workspace('unknown');
    const input = join(w.ws, 'batch_gl.csv');
    writeBatch(input, 20, (mg) => String(mg / 100), 'Glucose (g/L)');
    const r = screen(['--input', input, '--config', w.config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'batch_gl.csv: column Glucose is declared in an unknown unit "g/L"; Glucose accepts Glucose (mg/dL) or Glucose (mmol/L)',
    );
  });

  test('ingest.maxLineLength from the config limits the line length; a bad value is refused naming the key', () => {
    const w = workspaces.workspace('line-length', { ingest: { maxLineLength: 1024 } });
    const input = join(w.ws, 'batch_long.csv');
    const header = `patient_id,${FEATURE_COLUMNS.join(',')},note`;
    const row = (id: string, note: string) => `${id},6,148,72,35,0,33.6,0.627,50,${note}`;
    writeFileSync(input, `${header}\n${row('P1', 'short')}\n${row('P2', 'x'.repeat(2000))}\n${row('P3', '')}\n`);
    const r = screen(['--input', input, '--config', w.config]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows read 3, scored 2, rejected 1/);
    expect(r.stdout).toMatch(/rejected rows by rule: line_too_long 1/);
    // With the default (64 KiB) the same file keeps all three rows.
    const d = workspaces.workspace('line-length-default');
    const again = join(d.ws, 'batch_long.csv');
    writeFileSync(again, `${header}\n${row('P1', 'short')}\n${row('P2', 'x'.repeat(2000))}\n${row('P3', '')}\n`);
    expect(screen(['--input', again, '--config', d.config]).stdout).toMatch(/rows read 3, scored 3, rejected 0/);

    const bad = workspaces.workspace('line-length-bad', { ingest: { maxLineLength: 10 } });
    const b = screen(['--input', input, '--config', bad.config]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/ingest\.maxLineLength: /);
  });
});
