import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { openStore } from '../core/store/sqlite-store';
import { storeLabelledWeeks } from '../core/testing/labelled-production';
import { loadPimaTable } from '../core/testing/pima';
import { closeApp, openApp, type RunningHost, startHostProcess } from './support/host-process';
import { createFirstAdmin, expectAccessible, screenshot } from './support/journey';

/**
 * The admin retrains from the clinic's labelled patients in the Models view: the data set summary first, then a run
 * with its progress to a candidate with its cross-validated and time-held-out figures, then a run cancelled.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(600_000);

const PREFIX = 'retrain';
let host: RunningHost;
let context: BrowserContext;
let page: Page;
let scratch: string;

test.beforeAll(async ({ browser }) => {
  // Small settings for the training tool: the folds on its own thread, a small distillation set (trials: see below).
  process.env.GLUCOSCREEN_TEST_RETRAIN_ARGS = '--workers 0 --distil-rows 300 --trials 3';
  host = await startHostProcess();
  scratch = mkdtempSync(join(tmpdir(), 'glucoscreen-retrain-e2e-'));
  // Three weeks of 80 screened and labelled patients, written beside the running app as a batch import would.
  const store = openStore(join(host.dataDir, 'glucoscreen.db'), { auditKeyring: null });
  try {
    await storeLabelledWeeks(store, await loadPimaTable(), {
      startMonday: '2026-11-02',
      weeks: 3,
      rowsPerWeek: 80,
      seed: 21,
      dir: scratch,
    });
  } finally {
    store.close();
  }
  ({ context, page } = await openApp(browser, host));
});

test.afterAll(async () => {
  await closeApp(context, host, scratch);
});

test('the Models view shows the data set, trains a candidate in the background and reports both evaluations', async () => {
  await createFirstAdmin(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Models', exact: true }).click();

  const panel = page.getByRole('region', { name: 'Retrain from labelled patients' });
  await expect(panel).toContainText(
    'Training set: 1008 rows — 768 from the original training data (268 diabetic) and 240 labelled patients',
  );
  await expect(panel).toContainText('screened 2026-11-04 to 2026-11-18');
  await expect(panel).toContainText('The weeks 2026-W46, 2026-W47 (160 patients) are held out');
  await expectAccessible(page, 'models with the retrain panel');

  await panel.getByRole('button', { name: 'Retrain from labelled patients' }).click();
  await page.getByRole('button', { name: 'Start retraining' }).click();
  await expect(panel.getByRole('progressbar', { name: 'Retraining progress' })).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Cancel retraining' })).toBeVisible();
  await expect(panel.getByRole('status')).toContainText('Done', { timeout: 540_000 });

  const table = panel.getByRole('table', { name: 'Candidate evaluation' });
  await expect(table).toContainText('Cross-validated (out-of-fold, training part)');
  await expect(table).toContainText('Most recent weeks held out (2026-W46, 2026-W47)');
  await expect(table.getByRole('row').filter({ hasText: 'Most recent weeks' })).toContainText('160');
  await expect(panel).toContainText(/Candidate v\d+\.\d+\.\d+ \(experiments\/model_\d{8}_\d{6}\)/);
  // The candidate is listed with the other versions, and its run with the training runs.
  await expect(page.getByRole('table', { name: 'Model versions' })).toContainText('Experiment');
  await expect(page.getByRole('table', { name: 'Training runs' })).toBeVisible();
  await screenshot(page, PREFIX, '01-candidate');
});

test('a run cancelled from the panel ends as cancelled', async () => {
  const panel = page.getByRole('region', { name: 'Retrain from labelled patients' });
  await panel.getByRole('button', { name: 'Retrain from labelled patients' }).click();
  await page.getByRole('button', { name: 'Start retraining' }).click();
  await panel.getByRole('button', { name: 'Cancel retraining' }).click();
  await expect(panel.getByRole('status')).toContainText('Cancelled');
  await expect(panel.getByRole('button', { name: 'Cancel retraining' })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Retrain from labelled patients' })).toBeEnabled();
});
