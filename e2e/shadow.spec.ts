import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { writeTestBundle } from '../core/app/test-support/test-app';
import { bumpVersion } from '../core/registry/semver';
import { writeSyntheticBatch } from '../core/screening/synthetic-batch';
import { openStore } from '../core/store/sqlite-store';
import { loadPimaTable } from '../core/testing/pima';
import { closeApp, openApp, type RunningHost, startHostProcess } from './support/host-process';
import { callFromPage, createFirstAdmin, expectAccessible, screenshot } from './support/journey';

/**
 * Champion/challenger: the admin puts a candidate in shadow from the Models view, a batch is imported (the worklist
 * keeps production's scores), labels arrive, and the Shadow view compares the two on the same patients.
 */
test.describe.configure({ mode: 'serial' });

const PREFIX = 'shadow';
const CANDIDATE_DIR = 'model_20260103_000000';

let host: RunningHost;
let context: BrowserContext;
let page: Page;
let scratch: string;
let batchPath: string;
let labelsPath: string;
let candidateVersion: string;

function nav(name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true });
}

test.beforeAll(async ({ browser }) => {
  host = await startHostProcess();
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-shadow-e2e-'));
  const pima = await loadPimaTable();
  batchPath = join(scratch, 'shadow_day.csv');
  writeSyntheticBatch(batchPath, pima, { rows: 300, seed: 41, idPrefix: 'C' });
  // Ground truth by a rule independent of both models (glucose >= 140), for every patient of the batch.
  const lines = readFileSync(batchPath, 'utf8').trim().split('\n');
  const glucoseAt = lines[0].split(',').indexOf('Glucose');
  const labels = lines.slice(1).map((line) => {
    const cells = line.split(',');
    return `${cells[0]},${Number(cells[glucoseAt]) >= 140 ? 1 : 0}`;
  });
  labelsPath = join(scratch, 'labels.csv');
  writeFileSync(labelsPath, `patient_id,outcome\n${labels.join('\n')}\n`);
  const productionVersion = JSON.parse(
    readFileSync(join(host.dataDir, 'models/production/metadata.json'), 'utf8'),
  ).version;
  candidateVersion = bumpVersion(productionVersion, 'minor');
  // Another threshold and calibration than production, so that some recommendations differ.
  await writeTestBundle(join(host.dataDir, 'models/experiments', CANDIDATE_DIR), {
    version: candidateVersion,
    threshold: 0.3,
    calibration: { slope: 1.1, intercept: -0.2 },
    trainingDate: '2026-01-03T00:00:00.000Z',
  });
  ({ context, page } = await openApp(browser, host));
});

test.afterAll(async () => {
  await closeApp(context, host, scratch);
});

test('the admin puts the candidate in shadow from the Models view, confirmed', async () => {
  await createFirstAdmin(page);

  await nav('Models').click();
  const panel = page.getByRole('region', { name: 'Shadow model' });
  await expect(panel).toContainText('No model is in shadow.');
  await panel.getByLabel('Candidate').selectOption(`experiments/${CANDIDATE_DIR}`);
  await panel.getByRole('button', { name: `Put ${candidateVersion} in shadow` }).click();
  const dialog = page.getByRole('dialog', { name: `Put ${candidateVersion} in shadow?` });
  await expect(dialog).toContainText("clinicians, the worklist and the output files keep production's");
  await dialog.getByRole('button', { name: 'Put in shadow' }).click();
  await expect(panel).toContainText(`In shadow: ${candidateVersion}`);
});

test('an imported batch is scored by both; the worklist shows production scores only', async () => {
  await nav('Import').click();
  await page.getByTestId('import-file-input').setInputFiles(batchPath);
  await expect(page.getByRole('heading', { name: 'Imported 300 patients from shadow_day.csv' })).toBeVisible({
    timeout: 60_000,
  });
  const batches = (await callFromPage(page, 'listBatches', {})) as unknown as { value: { batchId: string }[] };
  const batchId = batches.value[0].batchId;
  const page1 = (await callFromPage(page, 'worklistPage', { batchId, offset: 0, limit: 1000 })) as unknown as {
    value: { rows: { rowIndex: number; score: number }[] };
  };
  const store = openStore(join(host.dataDir, 'glucoscreen.db'), { auditTrailPath: null, auditKeyring: null });
  try {
    const pairs = store.shadow.pairs(candidateVersion);
    expect(pairs).toHaveLength(300);
    const production = new Map(pairs.map((p) => [p.rowIndex, p.production.score]));
    for (const row of page1.value.rows) expect(row.score).toBe(production.get(row.rowIndex));
    expect(pairs.some((p) => p.shadow.recommendation !== p.production.recommendation)).toBe(true);
  } finally {
    store.close();
  }
});

test('labels arrive; the Shadow view compares both models on the same patients', async () => {
  await nav('Monitoring').click();
  await page.getByLabel('Labels file').setInputFiles(labelsPath);
  await expect(page.getByRole('status', { name: 'Labels import report' })).toContainText('Matched300', {
    timeout: 30_000,
  });

  await nav('Shadow').click();
  await expect(page.getByRole('heading', { name: 'Shadow comparison' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Agreement' })).toContainText(
    /Same screening recommendation for \d+ of 300 patients/,
  );
  const flips = page.getByRole('table', { name: 'Category flips, production (rows) against shadow (columns)' });
  await expect(flips.locator('tbody tr')).toHaveCount(3);
  const labelled = page.getByRole('region', { name: 'On the same labelled patients' });
  await expect(labelled).toContainText('300 labelled patients');
  await expect(
    labelled.getByRole('table', { name: 'Realised performance of both models' }).locator('tbody tr'),
  ).toHaveCount(2);
  await expect(labelled).toContainText("McNemar's test");
  await expect(labelled.getByRole('status')).toContainText(/Decided|Not decided yet/);
  await expectAccessible(page, 'Shadow');
  await screenshot(page, PREFIX, '10-shadow-comparison');
});

test('stopping the shadow is confirmed and audited; the comparison stays', async () => {
  const panel = page.getByRole('region', { name: 'Shadow model' });
  await panel.getByRole('button', { name: 'Stop shadow scoring' }).click();
  await page.getByRole('dialog', { name: 'Stop shadow scoring?' }).getByRole('button', { name: 'Stop' }).click();
  await expect(panel).toContainText('No model is in shadow.');
  await expect(page.getByRole('region', { name: 'Agreement' })).toBeVisible();
  const audit = (await callFromPage(page, 'auditLog', { limit: 50 })) as unknown as {
    value: { events: { action: string }[] };
  };
  const actions = audit.value.events.map((e) => e.action);
  expect(actions).toEqual(expect.arrayContaining(['shadow.assigned', 'shadow.cleared']));
});
