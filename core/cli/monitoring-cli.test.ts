import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSyntheticBatch } from '../screening/synthetic-batch';
import { openStore } from '../store/sqlite-store';
import { loadPimaTable } from '../testing/pima';
import { writeTestBundle } from '../testing/test-bundle';
import { main as driftMain } from './drift';
import { main as labelsMain } from './labels';
import { main as monitorMain } from './monitor';

/**
 * The monitoring commands on real files: a normal and a drifted synthetic batch are screened through the screen CLI,
 * then drift, labels and monitor run against the same config, database and model bundle.
 */
const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;
let config: string;
let normal: string;
let drifted: string;

function capture() {
  const lines: string[] = [];
  return { lines, out: (line: string) => lines.push(line), text: () => lines.join('\n') };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'monitoring-cli-'));
  const modelDir = join(dir, 'models/production');
  await writeTestBundle(modelDir);
  config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      paths: {
        dbPath: join(dir, 'db/glucoscreen.db'),
        outputDir: join(dir, 'out'),
        rejectedDir: join(dir, 'rejected'),
        modelDir,
      },
      retry: { attempts: 1, initialDelayMs: 10, stableWindowMs: 0 },
      logLevel: 'warn',
    }),
  );
  const pima = await loadPimaTable();
  mkdirSync(join(dir, 'in'));
  normal = join(dir, 'in/batch_normal.csv');
  drifted = join(dir, 'in/batch_drifted.csv');
  writeSyntheticBatch(normal, pima, { rows: 400, seed: 11, idPrefix: 'N' });
  writeSyntheticBatch(drifted, pima, {
    rows: 400,
    seed: 12,
    idPrefix: 'D',
    shift: { Glucose: 15, BMI: 3, Age: 10 },
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function screen(input: string) {
  const r = spawnSync('npx', ['tsx', 'core/cli/screen.ts', '--input', input, '--config', config], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
}

describe('npm run drift', () => {
  test('finds no dataset drift in a batch drawn like the training data', async () => {
    const c = capture();
    expect(await driftMain(['--current', normal, '--config', config], c.out)).toBe(0);
    expect(c.text()).toMatch(/Data drift: not detected/);
  });

  test('flags Glucose, BMI and Age in a shifted batch and exits 1', async () => {
    const c = capture();
    const json = join(dir, 'drift.json');
    expect(await driftMain(['--current', drifted, '--config', config, '--json', json], c.out)).toBe(1);
    expect(c.text()).toMatch(/Data drift: DETECTED/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.driftedFeatures).toEqual(expect.arrayContaining(['Glucose', 'BMI', 'Age']));
    for (const f of report.features) expect(typeof f.method).toBe('string');
  });

  test('a missing --current is a usage error (exit 2)', async () => {
    expect(await driftMain(['--config', config], () => {})).toBe(2);
  });
});

describe('labels and monitor after screening', () => {
  test('labels match stored predictions, re-import changes nothing, monitor shows weeks and the drift alert', async () => {
    screen(normal);
    screen(drifted);

    const ids = readFileSync(normal, 'utf8')
      .trim()
      .split('\n')
      .slice(1, 61)
      .map((l) => l.split(',')[0]);
    const labels = ['patient_id,outcome', ...ids.map((id, i) => `${id},${i % 3 === 0 ? 1 : 0}`), 'UNKNOWN-1,1'];
    const labelsPath = join(dir, 'labels.csv');
    writeFileSync(labelsPath, `${labels.join('\n')}\n`);

    const first = capture();
    expect(await labelsMain(['--input', labelsPath, '--config', config], first.out)).toBe(1);
    expect(first.text()).toMatch(/matched 60, newly stored 61, already stored 0, unmatched 1, conflicting 0/);
    expect(first.text()).toMatch(/unmatched: line 62, patient UNKNOWN-1/);

    const again = capture();
    await labelsMain(['--input', labelsPath, '--config', config], again.out);
    expect(again.text()).toMatch(/newly stored 0, already stored 61/);

    const monitor = capture();
    const snapshotPath = join(dir, 'snapshot.json');
    expect(await monitorMain(['--config', config, '--json', snapshotPath, '--fail-on-alert'], monitor.out)).toBe(1);
    const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8'));
    expect(snapshot.weeks).toHaveLength(1);
    expect(snapshot.weeks[0].n).toBe(60);
    expect(snapshot.weeks[0].positives).toBe(20);
    // Both from the drifted batch: its features (dataset verdict) and the model's output moved; the normal batch
    // raised nothing. (The test bundle carries no importance ranking, so no important-feature alert.)
    const alerts = snapshot.alerts as { kind: string; batchId: number }[];
    expect(alerts.map((a) => a.kind).sort()).toEqual(['dataset-drift', 'output-drift']);
    expect(new Set(alerts.map((a) => a.batchId)).size).toBe(1);
    expect(monitor.text()).toMatch(/open: \[dataset-drift/);

    const store = openStore(join(dir, 'db/glucoscreen.db'));
    try {
      const actions = store.audit.list().map((e) => e.action);
      expect(actions.filter((a) => a === 'labels.imported')).toHaveLength(2);
      expect(actions.filter((a) => a === 'alert.raised')).toHaveLength(2);
      expect(store.audit.verify().ok).toBe(true);
    } finally {
      store.close();
    }
  });

  test('monitor --report writes the printable report of a period; a bad period is a usage error', async () => {
    const reportPath = join(dir, 'report.html');
    const today = new Date().toISOString().slice(0, 10);
    const run = capture();
    expect(await monitorMain(['--config', config, '--report', reportPath, '--from', '2020-01-01'], run.out)).toBe(0);
    expect(run.text()).toContain(`Report for 2020-01-01 to ${today} written to ${reportPath}`);
    const html = readFileSync(reportPath, 'utf8');
    expect(html).toContain('batch_normal.csv');
    expect(html).toContain('batch_drifted.csv');
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/<script/i);
    expect(statSync(reportPath).mode & 0o777).toBe(0o600);

    for (const bad of [
      ['--report', reportPath, '--from', '2020-13-40'],
      ['--report', reportPath, '--from', '2026-02-01', '--to', '2026-01-01'],
      ['--from', '2020-01-01'],
    ]) {
      const refused = capture();
      expect(await monitorMain(['--config', config, ...bad], refused.out), bad.join(' ')).toBe(2);
    }
  });
});
