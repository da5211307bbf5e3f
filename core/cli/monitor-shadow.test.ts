import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ingestCsvFile } from '../ingest/csv-ingest';
import { importLabels } from '../labels/label-import';
import { createShadowEvidenceFor } from '../monitoring/shadow-evidence';
import { FEATURE_COLUMNS } from '../schema/columns';
import { openStore } from '../store/sqlite-store';
import { buildChallengerParts } from '../testing/challenger-model';
import { cliWorkspaces } from '../testing/cli-workspaces';
import { loadPimaColumns } from '../testing/pima';
import { writeTestBundle } from '../testing/test-bundle';
import { referenceScores } from '../testing/test-model';
import { main as monitorMain } from './monitor';
import { main as screenMain } from './screen';

/**
 * Shadow scoring through the CLIs on the Pima file: an admin puts a challenger bundle in shadow with monitor,
 * screen scores a batch with both, labels arrive, and `monitor --shadow` compares the two on the same patients.
 */
const workspaces = cliWorkspaces('monitor-shadow-', 'warn');

function capture() {
  const lines: string[] = [];
  return { lines, out: (line: string) => lines.push(line), text: () => lines.join('\n') };
}

/** The Pima rows as a daily batch (patient_id PIMA<row>) and their outcomes as a labels file. */
function writePimaBatch(dir: string): { batch: string; labels: string; outcome: Uint8Array } {
  const pima = loadPimaColumns();
  const batch = join(dir, 'batch_pima.csv');
  const labels = join(dir, 'labels_pima.csv');
  const rows = Array.from(
    { length: pima.rowCount },
    (_, i) => `PIMA${i},${FEATURE_COLUMNS.map((f) => pima.raw[f][i]).join(',')}`,
  );
  writeFileSync(batch, `patient_id,${FEATURE_COLUMNS.join(',')}\n${rows.join('\n')}\n`);
  const outcomes = Array.from({ length: pima.rowCount }, (_, i) => `PIMA${i},${pima.outcome[i]}`);
  writeFileSync(labels, `patient_id,outcome\n${outcomes.join('\n')}\n`);
  return { batch, labels, outcome: pima.outcome };
}

describe('monitor --set-shadow, screen with a shadow, monitor --shadow', () => {
  test('the whole loop on the Pima file', async () => {
    const w = workspaces.workspace('loop');
    const challengerDir = join(workspaces.dir, 'models/experiments/model_20261201_090000');
    await writeTestBundle(challengerDir, 'v0.0.2', await buildChallengerParts());

    const set = capture();
    expect(await monitorMain(['--config', w.config, '--set-shadow', 'v0.0.2'], set.out)).toBe(0);
    expect(set.text()).toMatch(/shadow: v0\.0\.2 \(experiments\/model_20261201_090000\) now scores every batch/);

    const { batch, labels, outcome } = writePimaBatch(w.ws);
    const screened = capture();
    expect(await screenMain(['--config', w.config, '--input', batch], screened.out)).toBe(0);
    expect(screened.text()).toMatch(/shadow v0\.0\.2: scored \(stored, not in the output\)/);

    const store = openStore(w.db);
    try {
      const [batchRecord] = store.batches.list();
      const output = readFileSync(batchRecord.outputPath as string, 'utf8')
        .trim()
        .split('\n')
        .slice(1);
      const production = store.batches.predictions(batchRecord.id, { limit: 10_000 }).rows;
      const pairs = store.shadow.pairs('v0.0.2');
      expect(output).toHaveLength(production.length);
      expect(pairs).toHaveLength(production.length);
      // The output CSV has production's scores only (written to 3 decimals), also where the shadow's differ.
      const scoreColumn = output.map((line) => line.split(',')[2]);
      const differing = pairs.filter((p) => p.shadow.score.toFixed(3) !== p.production.score.toFixed(3));
      expect(differing.length).toBeGreaterThan(100);
      production.forEach((p, i) => {
        expect(scoreColumn[i]).toBe(p.score.toFixed(3));
      });

      const report = await importLabels(store, labels, 'tester');
      expect(report.matched).toBe(production.length);

      // Expected figures, derived from the stored production rows, the challenger's TypeScript trees and the
      // Pima outcomes: not from the comparison code.
      const loaded = await ingestCsvFile(batch, { mode: 'batch' });
      if (!loaded.ok) throw new Error('the batch did not load');
      const shadowScores = referenceScores(await buildChallengerParts(), loaded.table);
      const rowOf = (id: string) => Number(id.slice(4));
      let agree = 0;
      const counts = { production: { tp: 0, fn: 0 }, shadow: { tp: 0, fn: 0 } };
      production.forEach((p, i) => {
        const shadowRecommends = shadowScores[i] >= 0.4 ? 1 : 0;
        if (shadowRecommends === p.recommendation) agree++;
        if (outcome[rowOf(p.patientId)] === 1) {
          counts.production[p.recommendation === 1 ? 'tp' : 'fn']++;
          counts.shadow[shadowRecommends === 1 ? 'tp' : 'fn']++;
        }
      });
      const recall = (c: { tp: number; fn: number }) => c.tp / (c.tp + c.fn);

      const evidence = createShadowEvidenceFor(store)('v0.0.2');
      expect(evidence?.labelledPatients).toBe(production.length);
      expect(evidence?.productionRecall).toBeCloseTo(recall(counts.production), 12);
      expect(evidence?.candidateRecall).toBeCloseTo(recall(counts.shadow), 12);
      expect(createShadowEvidenceFor(store)('v9.9.9')).toBeNull();

      const compared = capture();
      const json = join(w.ws, 'shadow.json');
      expect(await monitorMain(['--config', w.config, '--shadow', '--json', json], compared.out)).toBe(0);
      const text = compared.text();
      expect(text).toContain(`Recommendation agreement: ${agree} of ${production.length} patients`);
      expect(text).toContain(
        `On the same labelled patients: ${production.length} (${outcome.reduce((a, b) => a + b, 0)} with diabetes)`,
      );
      expect(text).toContain(`production: recall ${recall(counts.production).toFixed(3)}`);
      expect(text).toContain(`shadow    : recall ${recall(counts.shadow).toFixed(3)}`);
      expect(text).toMatch(/McNemar \((exact binomial|chi-square with continuity correction, [\d.]+)\)/);
      expect(text).toMatch(/Decision: /);
      const saved = JSON.parse(readFileSync(json, 'utf8'));
      expect(saved.comparison.agreement.agreeing).toBe(agree);
      const flips = saved.comparison.flips as Record<string, Record<string, number>>;
      expect(
        Object.values(flips)
          .flatMap((r) => Object.values(r))
          .reduce((a, b) => a + b, 0),
      ).toBe(production.length);

      const actions = store.audit.list().map((e) => e.action);
      expect(actions).toContain('shadow.assigned');
    } finally {
      store.close();
    }

    const cleared = capture();
    expect(await monitorMain(['--config', w.config, '--clear-shadow'], cleared.out)).toBe(0);
    expect(cleared.text()).toContain('shadow: v0.0.2 no longer scores batches');
    const after = openStore(w.db);
    try {
      expect(after.shadow.current()).toBeNull();
      const event = after.audit.list({ action: 'shadow.cleared' })[0];
      expect(event.details).toMatchObject({ before: { shadow: 'v0.0.2' }, after: { shadow: null } });
    } finally {
      after.close();
    }
  }, 120_000);

  test('a tampered candidate, the production model and an unknown version are refused, nothing is assigned', async () => {
    const w = workspaces.workspace('refused');
    const tamperedDir = join(workspaces.dir, 'models/experiments/model_20261202_090000');
    await writeTestBundle(tamperedDir, 'v0.0.3', await buildChallengerParts());
    const onnx = join(tamperedDir, 'model.onnx');
    const bytes = readFileSync(onnx);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(onnx, bytes);

    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(await monitorMain(['--config', w.config, '--set-shadow', 'v0.0.3'], () => {})).toBe(2);
      expect(await monitorMain(['--config', w.config, '--set-shadow', 'production'], () => {})).toBe(2);
      expect(await monitorMain(['--config', w.config, '--set-shadow', 'v7.7.7'], () => {})).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    const text = errors.join('');
    expect(text).toMatch(
      /not put in shadow: the bundle experiments\/model_20261202_090000 is not usable: .*model\.onnx/,
    );
    expect(text).toMatch(/not put in shadow: production is production/);
    expect(text).toMatch(/not put in shadow: there is no model bundle v7\.7\.7/);
    const store = openStore(w.db);
    try {
      expect(store.shadow.history()).toEqual([]);
    } finally {
      store.close();
    }
  }, 60_000);
});
