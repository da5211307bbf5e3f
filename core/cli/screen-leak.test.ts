import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { connect } from '../store/database';
import { runCli } from '../testing/cli-runs';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { HOSTILE_CORPUS } from '../testing/hostile-corpus';

/**
 * No patient value leaks: every hostile or corrupt corpus file goes through the real screen CLI (a process each,
 * one database for all), and no value from it but patient_id may appear in stdout, stderr, the JSONL audit trail,
 * the audit table, the batches' error and summary columns, or the rejected rows' messages. The rejected rows'
 * `value` column is where a rejected cell is kept on purpose (capped), for the clinic to correct the source: it
 * holds at most 65 characters. The drift results are not searched: their histogram edges are the batch's smallest
 * and largest values, which are one patient's values (with no patient_id beside them).
 */
const workspaces = cliWorkspaces('cli-leak-', 'debug');
// The e2e fixtures hold no text long enough to search for ("abc" turns up in sha256 digests).
const CORPUS = HOSTILE_CORPUS;

function found(text: string, markers: string[]): string[] {
  return markers.filter((m) => text.includes(m));
}

function tableText(db: string, sql: string): string {
  const conn = connect(db);
  try {
    return JSON.stringify(conn.prepare(sql).all());
  } finally {
    conn.close();
  }
}

describe(`no patient value from ${CORPUS.length} hostile and corrupt files leaks through the screen CLI`, () => {
  let w: ReturnType<typeof workspaces.workspace>;
  beforeAll(() => {
    w = workspaces.workspace('leak');
  });
  const all: string[] = [];
  test.each(CORPUS.map((file) => ({ file })))(
    '$file.name',
    ({ file }) => {
      const inputs = join(w.ws, 'in');
      mkdirSync(inputs, { recursive: true });
      const { path, markers } = file.write(inputs);
      all.push(...markers);
      expect(markers.length).toBeGreaterThan(0);
      const r = runCli('screen', ['--input', path, '--config', w.config]);
      expect([file.name, r.signal, r.code === 0 || r.code === 1, r.stderr]).toEqual([
        file.name,
        null,
        true,
        expect.any(String),
      ]);
      expect([file.name, 'stdout', found(r.stdout, markers)]).toEqual([file.name, 'stdout', []]);
      expect([file.name, 'stderr', found(r.stderr, markers)]).toEqual([file.name, 'stderr', []]);
    },
    120_000,
  );

  test('nor in the audit trail, the audit table, the batches or the rejected rows', () => {
    const markers = [...new Set(all)];
    // 12 rows x 6 decimal columns, and the texts the hostile files add.
    expect(markers.length).toBeGreaterThan(72);
    const sinks: Record<string, string> = {
      'JSONL trail': readFileSync(join(dirname(w.db), 'glucoscreen.audit.jsonl'), 'utf8'),
      audit_events: tableText(w.db, 'SELECT * FROM audit_events'),
      batches: tableText(w.db, 'SELECT * FROM batches'),
      'rejected_rows but value': tableText(
        w.db,
        'SELECT batch_id, seq, line, patient_id, rule, column_name, message, severity FROM rejected_rows',
      ),
    };
    expect(Object.values(sinks).every((text) => text.length > 2)).toBe(true);
    for (const [sink, text] of Object.entries(sinks)) expect([sink, found(text, markers)]).toEqual([sink, []]);

    const conn = connect(w.db);
    const values = conn.prepare('SELECT value FROM rejected_rows').all() as { value: string }[];
    conn.close();
    expect(values.length).toBeGreaterThan(5);
    for (const { value } of values) expect(value.length).toBeLessThanOrEqual(65);
  });
});
